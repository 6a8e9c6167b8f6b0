/**
 * The `gateway run` log lines of operations.md §3.1 and config.md §8, as pure functions so their
 * exact wording is table-tested. The orchestrator logs them in order at `info`.
 */
import type {GatewayAuthSettings} from '../../config/gateway-settings.js'
import {defaultAgentModel} from '../../agents/default-agent.js'
import type {Config} from '../../config/schema/index.js'
import {tokenFingerprint} from '../protocol/token-fingerprint.js'
import {formatHostPort} from '../server/net-address.js'

/** `openclaw 0.4.0 starting (node v22.11.0, pid 4242, profile default)`. */
export function startingLine(version: string, node: string, pid: number, profile: string | null): string {
  return `openclaw ${version} starting (node ${node}, pid ${pid}, profile ${profile ?? 'default'})`
}

/** `config: <path>`, or `config: none (defaults)` when the file does not exist. */
export function configLine(configPath: string, exists: boolean): string {
  return exists ? `config: ${configPath}` : 'config: none (defaults)'
}

/** `auth: token (from config, sha256:1a2b3c4d)`, `auth: password (from OPENCLAW_GATEWAY_PASSWORD)`, `auth: none (loopback only)`. */
export function authLine(auth: GatewayAuthSettings): string {
  if (auth.mode === 'none') return 'auth: none (loopback only)'
  const source = auth.mode === 'token' ? auth.tokenSource : auth.passwordSource
  const envName = auth.mode === 'token' ? 'OPENCLAW_GATEWAY_TOKEN' : 'OPENCLAW_GATEWAY_PASSWORD'
  const from = source === 'flag' ? `--${auth.mode}` : source === 'env' ? envName : 'config'
  const secret = auth.mode === 'token' ? auth.token : auth.password
  // The fingerprint lets a refused client compare its secret with this one (the CLI prints its own).
  return `auth: ${auth.mode} (from ${from}${secret === undefined ? '' : `, ${tokenFingerprint(secret)}`})`
}

/** `listening on ws://127.0.0.1:18789, ws://[::1]:18789 (http + ws)`. */
export function listeningLine(hosts: readonly string[], port: number): string {
  return `listening on ${hosts.map((host) => `ws://${formatHostPort(host, port)}`).join(', ')} (http + ws)`
}

/** `log file: <path>`, or `log file: none`. */
export function logFileLine(file: string | null): string {
  return `log file: ${file ?? 'none'}`
}

/** `agent model: anthropic/claude-sonnet-4-5 (default agent main)`, or `agent model: not configured`. */
export function agentModelLine(config: Config | null): string {
  const {agentId, model} = defaultAgentModel(config)
  return model === null ? 'agent model: not configured' : `agent model: ${model} (default agent ${agentId})`
}

/** What the startup line needs of one channel account (the channel subsystem's status snapshot). */
export interface ChannelAccountState {
  channel: string
  accountId: string
  enabled: boolean
  lastError: string | null
  lastErrorCode: string | null
}

/**
 * `channels: none configured`, or the accounts the channel subsystems started, then those that
 * could not start (with their error code) and the disabled ones:
 * `channels: starting telegram:default, telegram:work; not started: telegram:bad (TELEGRAM_TOKEN_INVALID); disabled: telegram:old`.
 */
export function channelsLine(accounts: readonly ChannelAccountState[]): string {
  if (accounts.length === 0) return 'channels: none configured'
  const name = (a: ChannelAccountState) => `${a.channel}:${a.accountId}`
  const failed = accounts.filter((a) => a.enabled && a.lastError !== null)
  const starting = accounts.filter((a) => a.enabled && a.lastError === null)
  const disabled = accounts.filter((a) => !a.enabled)
  const parts = [
    starting.length > 0 ? `starting ${starting.map(name).join(', ')}` : 'none started',
    ...(failed.length > 0 ? [`not started: ${failed.map((a) => `${name(a)} (${a.lastErrorCode ?? a.lastError})`).join(', ')}`] : []),
    ...(disabled.length > 0 ? [`disabled: ${disabled.map(name).join(', ')}`] : []),
  ]
  return `channels: ${parts.join('; ')}`
}

/** The channel accounts in a runtime health snapshot (`channels.<channel>.accounts`). */
export function channelAccountsOf(health: Record<string, unknown>): ChannelAccountState[] {
  const channels = (health.channels ?? {}) as Record<string, {accounts?: Record<string, Omit<ChannelAccountState, 'channel'>>}>
  return Object.entries(channels).flatMap(([channel, part]) => Object.values(part.accounts ?? {}).map((a) => ({channel, accountId: a.accountId, enabled: a.enabled, lastError: a.lastError ?? null, lastErrorCode: a.lastErrorCode ?? null})))
}

/** `ready in 412 ms`, with `(failing: a, b)` when something failed for good. */
export function readyLine(ms: number, failing: readonly string[]): string {
  return failing.length === 0 ? `ready in ${ms} ms` : `ready in ${ms} ms (failing: ${failing.join(', ')})`
}

/** Paths named per kind in the reload line; a first edit that fills in every default can touch dozens. */
const RELOAD_LINE_MAX_PATHS = 5

/** `config reloaded (hot: agents.defaults.model; restart: none)`; long lists end in `… (+17 more)` (config.md §8). */
export function reloadedLine(hot: readonly string[], restart: readonly string[]): string {
  const list = (paths: readonly string[]) => {
    if (paths.length === 0) return 'none'
    const shown = paths.slice(0, RELOAD_LINE_MAX_PATHS).join(', ')
    return paths.length > RELOAD_LINE_MAX_PATHS ? `${shown}, … (+${paths.length - RELOAD_LINE_MAX_PATHS} more)` : shown
  }
  return `config reloaded (hot: ${list(hot)}; restart: ${list(restart)})`
}

/** `config reload skipped (invalid config): 2 issue(s); first: gateway.port: expected ...` (config.md §8). */
export function reloadSkippedLine(issues: ReadonlyArray<{path: string; message: string}>): string {
  const first = issues[0]
  const firstText = first === undefined ? 'unknown' : `${first.path === '' ? '(root)' : first.path}: ${first.message}`
  return `config reload skipped (invalid config): ${issues.length} issue(s); first: ${firstText}`
}

/** `config change needs a gateway restart (gateway.port); run: openclaw gateway restart` (mode `hot`). */
export function restartNeededLine(paths: readonly string[]): string {
  return `config change needs a gateway restart (${paths.join(', ')}); run: openclaw gateway restart`
}
