/**
 * Which gateway a client command talks to, and with which secret (operations.md §1.2, protocol §9
 * steps 1–2). Pure: flags, env and config in, a target out. Imports no ws, so commands may load
 * it eagerly.
 */
import {layered, resolveGatewayAuth, resolveGatewayPort} from '../../config/gateway-settings.js'
import type {Config} from '../../config/schema/index.js'
import {AppError} from '../../errors/app-error.js'
import {envValue, type Env} from '../../paths.js'

export interface GatewayTargetFlags {
  url?: string
  token?: string
  password?: string
  port?: number
}

export interface GatewayTargetInputs {
  flags: GatewayTargetFlags
  env: Env
  /** The effective config, or null when it is invalid or unreadable. */
  config: Readonly<Config> | null
  /** The authored tree (`LoadedConfig.authored`): its well-typed parts are used when `config` is null (config.md §6.5). */
  authored?: Record<string, unknown> | null
}

export type GatewayTargetSource = 'flag' | 'env' | 'remote-config' | 'loopback'

export interface GatewayTarget {
  url: string
  token?: string
  password?: string
  source: GatewayTargetSource
  /** Where the secret came from (`--token`, `OPENCLAW_GATEWAY_TOKEN`, `gateway.auth.token`, `gateway.remote.token`), for hints. */
  tokenSource?: string
  passwordSource?: string
  /** False only for the implicit loopback target: the one case where WS→L commands may fall back to local execution. */
  explicit: boolean
}

/**
 * Target: `--url` > OPENCLAW_GATEWAY_URL > `gateway.remote.url` (mode remote) > `ws://127.0.0.1:<port>`.
 * Secrets: flags always win; `--url` takes only flag secrets (none → USAGE, exit 2);
 * OPENCLAW_GATEWAY_URL only OPENCLAW_GATEWAY_TOKEN/_PASSWORD; otherwise the local-mode order
 * (`gateway.auth.*` > env > `gateway.remote.*`) or, in remote mode, `gateway.remote.*` > env >
 * `gateway.auth.*`. Throws USAGE for a bad `--url`, ENV_INVALID for a bad OPENCLAW_GATEWAY_URL or
 * OPENCLAW_GATEWAY_PORT.
 */
export function resolveGatewayTarget(inputs: GatewayTargetInputs): GatewayTarget {
  const {flags, env} = inputs
  if (flags.url !== undefined) return resolveUrlFlagTarget(flags)
  const envUrl = envValue(env, 'OPENCLAW_GATEWAY_URL')
  if (envUrl !== undefined) {
    const url = parseWsUrl(envUrl)
    if (url === undefined) throw new AppError('ENV_INVALID', `OPENCLAW_GATEWAY_URL: expected a ws:// or wss:// URL, got "${envUrl}"`, {hint: ['unset OPENCLAW_GATEWAY_URL']})
    return withSecrets({url, source: 'env', explicit: true}, nonEmpty(flags.token) ?? envValue(env, 'OPENCLAW_GATEWAY_TOKEN'), nonEmpty(flags.password) ?? envValue(env, 'OPENCLAW_GATEWAY_PASSWORD'), {
      token: nonEmpty(flags.token) === undefined ? 'OPENCLAW_GATEWAY_TOKEN' : '--token',
      password: nonEmpty(flags.password) === undefined ? 'OPENCLAW_GATEWAY_PASSWORD' : '--password',
    })
  }
  const remote = resolveRemoteTarget(inputs)
  if (remote !== null && gatewayMode(inputs) === 'remote') return remote
  return resolveLoopbackTarget(inputs)
}

/** `ws://127.0.0.1:<port>` (port: `--port` > OPENCLAW_GATEWAY_PORT > `gateway.port` > 18789) with the secrets of the configured mode. */
export function resolveLoopbackTarget(inputs: GatewayTargetInputs): GatewayTarget {
  const {port} = resolveGatewayPort({flag: inputs.flags.port, env: inputs.env, config: inputs.config, authored: inputs.authored})
  const secrets = gatewayMode(inputs) === 'remote' ? remoteOrderSecrets(inputs) : localOrderSecrets(inputs)
  return withSecrets({url: `ws://127.0.0.1:${port}`, source: 'loopback', explicit: false}, secrets.token, secrets.password, secrets.sources)
}

/** `gateway.remote.url` with remote-mode secrets, whatever `gateway.mode` says (`gateway probe`); null when unset. */
export function resolveRemoteTarget(inputs: GatewayTargetInputs): GatewayTarget | null {
  const raw = configString(inputs, ['gateway', 'remote', 'url'])
  if (raw === undefined) return null
  const url = parseWsUrl(raw)
  if (url === undefined) return null
  const secrets = remoteOrderSecrets(inputs)
  return withSecrets({url, source: 'remote-config', explicit: true}, secrets.token, secrets.password, secrets.sources)
}

/**
 * `gateway probe`'s targets: the loopback one always, `gateway.remote.url` when set, and the
 * `--url` / OPENCLAW_GATEWAY_URL one when given (kind `url`); the same URL is probed once.
 */
export function resolveProbeTargets(inputs: GatewayTargetInputs): Array<GatewayTarget & {kind: 'loopback' | 'remote' | 'url'}> {
  const out: Array<GatewayTarget & {kind: 'loopback' | 'remote' | 'url'}> = []
  const add = (target: GatewayTarget | null, kind: 'loopback' | 'remote' | 'url') => {
    if (target !== null && !out.some((t) => t.url === target.url)) out.push({...target, kind})
  }
  const chosen = resolveGatewayTarget(inputs)
  if (chosen.source === 'flag' || chosen.source === 'env') add(chosen, 'url')
  add(resolveLoopbackTarget({...inputs, flags: {...inputs.flags, url: undefined}}), 'loopback')
  add(resolveRemoteTarget(inputs), 'remote')
  return out
}

function resolveUrlFlagTarget(flags: GatewayTargetFlags): GatewayTarget {
  const raw = flags.url ?? ''
  const url = parseWsUrl(raw)
  if (url === undefined) throw new AppError('USAGE', `invalid --url "${raw}": expected a ws:// or wss:// URL`, {hint: ['openclaw gateway call health --url ws://127.0.0.1:18789 --token <token>']})
  const token = nonEmpty(flags.token)
  const password = nonEmpty(flags.password)
  if (token === undefined && password === undefined) {
    // Config and env secrets never go to an ad-hoc URL (protocol §9 step 1).
    throw new AppError('USAGE', 'gateway url override requires explicit credentials', {hint: [`Pass the gateway's secret: --url ${url} --token <token> (or --password <password>)`]})
  }
  return withSecrets({url, source: 'flag', explicit: true}, token, password, {token: '--token', password: '--password'})
}

/** Local mode: `gateway.auth.*` > env (config.md §1.1, via resolveGatewayAuth), then `gateway.remote.*`. */
function localOrderSecrets(inputs: GatewayTargetInputs): OrderedSecrets {
  const auth = resolveGatewayAuth({flags: {token: inputs.flags.token, password: inputs.flags.password}, env: inputs.env, config: inputs.config, authored: inputs.authored})
  const label = {flag: (k: string) => `--${k}`, config: (k: string) => `gateway.auth.${k}`, env: (k: string) => `OPENCLAW_GATEWAY_${k.toUpperCase()}`}
  return {
    token: auth.token ?? configString(inputs, ['gateway', 'remote', 'token']),
    password: auth.password ?? configString(inputs, ['gateway', 'remote', 'password']),
    sources: {
      token: auth.tokenSource === undefined ? 'gateway.remote.token' : label[auth.tokenSource]('token'),
      password: auth.passwordSource === undefined ? 'gateway.remote.password' : label[auth.passwordSource]('password'),
    },
  }
}

interface OrderedSecrets {
  token?: string
  password?: string
  /** Where each came from, when it was found. */
  sources: {token: string; password: string}
}

/** Remote mode: flag > `gateway.remote.*` > env > `gateway.auth.*`. */
function remoteOrderSecrets(inputs: GatewayTargetInputs): OrderedSecrets {
  const pick = (kind: 'token' | 'password'): {value?: string; source: string} => {
    const candidates: Array<[string, string | undefined]> = [
      [`--${kind}`, nonEmpty(inputs.flags[kind])],
      [`gateway.remote.${kind}`, configString(inputs, ['gateway', 'remote', kind])],
      [`OPENCLAW_GATEWAY_${kind.toUpperCase()}`, envValue(inputs.env, `OPENCLAW_GATEWAY_${kind.toUpperCase()}`)],
      [`gateway.auth.${kind}`, configString(inputs, ['gateway', 'auth', kind])],
    ]
    const found = candidates.find(([, value]) => value !== undefined)
    return found === undefined ? {source: `gateway.remote.${kind}`} : {value: found[1], source: found[0]}
  }
  const token = pick('token')
  const password = pick('password')
  return {token: token.value, password: password.value, sources: {token: token.source, password: password.source}}
}

function gatewayMode(inputs: GatewayTargetInputs): 'local' | 'remote' | undefined {
  const mode = configString(inputs, ['gateway', 'mode'])
  return mode === 'local' || mode === 'remote' ? mode : undefined
}

/** A non-empty string config value, by the loader's layering rules (config.md §6.5). */
function configString(inputs: GatewayTargetInputs, keys: readonly string[]): string | undefined {
  return layered({config: inputs.config, authored: inputs.authored, env: inputs.env}, keys, isNonEmptyString)
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== ''

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function withSecrets(base: Omit<GatewayTarget, 'token' | 'password'>, token: string | undefined, password: string | undefined, sources: {token: string; password: string}): GatewayTarget {
  const target: GatewayTarget = {...base}
  if (token !== undefined && token !== '') {
    target.token = token
    target.tokenSource = sources.token
  }
  if (password !== undefined && password !== '') {
    target.password = password
    target.passwordSource = sources.password
  }
  return target
}

/** The trimmed URL when it parses as ws:// or wss://, else undefined. */
function parseWsUrl(raw: string): string | undefined {
  const value = raw.trim()
  try {
    const {protocol} = new URL(value)
    return protocol === 'ws:' || protocol === 'wss:' ? value : undefined
  } catch {
    return undefined
  }
}
