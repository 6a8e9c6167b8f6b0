import {AppError} from '../errors/app-error.js'
import {envValue, type Env} from '../paths.js'
import {isPlainObject} from './deep-merge.js'
import type {Config} from './schema/index.js'
import {substituteEnvInString} from './substitute-env.js'

/** The gateway port when nothing sets one (config.md §1.1). */
export const DEFAULT_GATEWAY_PORT = 18789

export type GatewayBind = 'loopback' | 'lan' | 'custom' | 'auto'
export type GatewayAuthMode = 'token' | 'password' | 'none'
export type SecretSource = 'flag' | 'config' | 'env'

/**
 * Layered inputs. `config` is the effective (validated) config, or null when it is invalid: then
 * pass `authored` so well-typed authored values are still used (config.md §6.5). When `authored`
 * is given it also decides whether a value was written by the user or is a schema default.
 */
export interface LayerInputs {
  config: Config | null
  authored?: Record<string, unknown> | null
}

/**
 * `--port` > `OPENCLAW_GATEWAY_PORT` > `gateway.port` > 18789. The env value may be `host:port`.
 * Throws ENV_INVALID (`exitCode` overrides the exit code, e.g. 78 under `gateway run`) for an env
 * value that is not a port.
 */
export function resolveGatewayPort(opts: LayerInputs & {flag?: number; env: Env; exitCode?: number}): {port: number; source: 'flag' | 'env' | 'config' | 'default'} {
  if (opts.flag !== undefined) return {port: opts.flag, source: 'flag'}
  const raw = envValue(opts.env, 'OPENCLAW_GATEWAY_PORT')
  if (raw !== undefined) return {port: parsePortEnv(raw, opts.exitCode), source: 'env'}
  const port = layered(opts, ['gateway', 'port'], isPort) ?? numericString(layered(opts, ['gateway', 'port'], isNonEmptyString))
  return port === undefined ? {port: DEFAULT_GATEWAY_PORT, source: 'default'} : {port, source: 'config'}
}

/** Parses OPENCLAW_GATEWAY_PORT: `18789`, `127.0.0.1:18789` or `[::1]:18789`. */
export function parsePortEnv(raw: string, exitCode?: number): number {
  const value = raw.trim()
  const digits = /^\d+$/.test(value) ? value : /^(?:\[[^\]]*\]|[^:[\]]*):(\d+)$/.exec(value)?.[1]
  const port = digits === undefined ? Number.NaN : Number(digits)
  if (!isPort(port)) {
    throw new AppError('ENV_INVALID', `OPENCLAW_GATEWAY_PORT: expected a port number (1-65535), got "${raw}"`, {
      exitCode,
      hint: ['export OPENCLAW_GATEWAY_PORT=18789', 'or unset it: unset OPENCLAW_GATEWAY_PORT'],
    })
  }
  return port
}

export interface GatewayAuthSettings {
  mode: GatewayAuthMode
  token?: string
  password?: string
  tokenSource?: SecretSource
  passwordSource?: SecretSource
}

/**
 * Token: `--token` > `gateway.auth.token` > OPENCLAW_GATEWAY_TOKEN; password likewise with
 * `--password` / OPENCLAW_GATEWAY_PASSWORD (the file beats the env for secrets, config.md §1.1).
 * Mode: `--auth` > authored `gateway.auth.mode` > `password` when only a password is set > `token`.
 */
export function resolveGatewayAuth(opts: LayerInputs & {flags: {auth?: GatewayAuthMode; token?: string; password?: string}; env: Env}): GatewayAuthSettings {
  const out: GatewayAuthSettings = {mode: 'token'}
  const token = pickSecret(opts.flags.token, layered(opts, ['gateway', 'auth', 'token'], isNonEmptyString), envValue(opts.env, 'OPENCLAW_GATEWAY_TOKEN'))
  const password = pickSecret(opts.flags.password, layered(opts, ['gateway', 'auth', 'password'], isNonEmptyString), envValue(opts.env, 'OPENCLAW_GATEWAY_PASSWORD'))
  if (token !== undefined) {
    out.token = token.value
    out.tokenSource = token.source
  }
  if (password !== undefined) {
    out.password = password.value
    out.passwordSource = password.source
  }
  const configMode = layered(opts, ['gateway', 'auth', 'mode'], isAuthMode)
  out.mode = opts.flags.auth ?? configMode ?? (password !== undefined && token === undefined ? 'password' : 'token')
  return out
}

/** `--bind` > `gateway.bind` > `loopback`; `customBindHost` comes from the config (required with `custom`). */
export function resolveGatewayBind(opts: LayerInputs & {flag?: GatewayBind; env?: Env}): {bind: GatewayBind; customBindHost?: string; source: 'flag' | 'config' | 'default'} {
  const configured = layered(opts, ['gateway', 'bind'], isBind)
  const host = layered(opts, ['gateway', 'customBindHost'], isNonEmptyString)
  const result = opts.flag !== undefined ? {bind: opts.flag, source: 'flag' as const} : configured !== undefined ? {bind: configured, source: 'config' as const} : {bind: 'loopback' as const, source: 'default' as const}
  return result.bind === 'custom' && host !== undefined ? {...result, customBindHost: host} : result
}

function pickSecret(flag: string | undefined, config: string | undefined, env: string | undefined): {value: string; source: SecretSource} | undefined {
  if (flag !== undefined && flag !== '') return {value: flag, source: 'flag'}
  if (config !== undefined) return {value: config, source: 'config'}
  if (env !== undefined) return {value: env, source: 'env'}
  return undefined
}

/**
 * A config value. From a valid config: the effective value, unless `authored` is given and does
 * not hold the key (then it is a schema default, not a configured value). From an invalid config:
 * the authored value if well-typed, with `${VAR}`s substituted (unusable when one is missing).
 */
export function layered<T>(opts: LayerInputs & {env?: Env}, keys: readonly string[], accept: (v: unknown) => v is T): T | undefined {
  let value: unknown
  if (opts.config !== null) {
    if (opts.authored != null && getIn(opts.authored, keys) === undefined) return undefined
    value = getIn(opts.config, keys)
  } else {
    value = getIn(opts.authored, keys)
    if (typeof value === 'string') {
      const substituted = substituteEnvInString(value, opts.env ?? {})
      if (substituted.missing.length > 0) return undefined
      value = substituted.value
    }
  }
  return accept(value) ? value : undefined
}

function getIn(root: unknown, keys: readonly string[]): unknown {
  let node = root
  for (const key of keys) {
    if (!isPlainObject(node)) return undefined
    node = node[key]
  }
  return node
}

/** `"8080"` from an invalid config's substituted `${PORT}`. */
function numericString(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) && isPort(Number(v)) ? Number(v) : undefined
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v !== ''
}

function isAuthMode(v: unknown): v is GatewayAuthMode {
  return v === 'token' || v === 'password' || v === 'none'
}

function isBind(v: unknown): v is GatewayBind {
  return v === 'loopback' || v === 'lan' || v === 'custom' || v === 'auto'
}
