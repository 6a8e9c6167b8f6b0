/**
 * Source selection for `openclaw logs` (operations.md §1.2, §7): `--local`/`--file` read the
 * file; otherwise the gateway's `logs.tail`, falling back to the file only as `decideLogsFallback`
 * allows. The ws client is imported only when the gateway is tried.
 */
import {loadConfig} from '../config/load.js'
import {AppError, isAppError} from '../errors/app-error.js'
import type {ClientInfo} from '../gateway/client/client.js'
import {setupGatewayClient} from '../gateway/client/config.js'
import type {GatewayTarget, GatewayTargetFlags} from '../gateway/client/target.js'
import {LOG_LEVELS, passesLevel, type LogLevel} from '../logging/levels.js'
import {parseLogLine, type LogTail, type ParsedLogLine} from '../logging/read-tail.js'
import type {ResolvedPaths} from '../paths.js'
import {readLiveGatewayLock, type GatewayLockInfo} from '../state/gateway-lock-info.js'
import {assertLogFileExists, createLocalTailReader, localLogLocator, type LocalLogFileOptions} from './local-file.js'
import type {TailReader, TailSizing} from './tail-reader.js'

export interface LogsRequest {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  /** Client flags, plus `--local` (skip the gateway) and `--file` (a given file; implies local). */
  flags: GatewayTargetFlags & {local?: boolean; file?: string}
  sizing: TailSizing
  /** Handshake and per-request budget, ms (`--timeout`, 30000 for `logs`). */
  timeoutMs: number
  clientInfo: ClientInfo
  /** `--level`: only lines at or above it (lines without a known level are dropped). */
  minLevel?: LogLevel
  /** Keep the socket alive for a follow (tick watchdog on). */
  follow?: boolean
  now?: () => Date
}

export interface OpenedLogs {
  reader: TailReader
  /** The first answer: the tail of the file. */
  first: LogTail
  /** One-line notes for stderr or `warnings`: an invalid config, why the file is read locally. */
  warnings: string[]
  /** Opens a fresh gateway reader (follow reconnects); absent for the local source. */
  reopen?: () => Promise<TailReader>
}

/** Chooses the source and reads the tail once. Throws LOG_FILE_MISSING, the client's errors when no fallback applies, USAGE for `--url` without credentials. */
export async function openLogs(request: LogsRequest): Promise<OpenedLogs> {
  const {paths, env, flags} = request
  if (flags.local === true || flags.file !== undefined) {
    const loaded = loadConfig({paths, env})
    const warnings = loaded.issues.length > 0 ? [invalidConfigNote(loaded.issues.length)] : []
    return openLocal(request, {paths, config: loaded.config, authored: loaded.authored, fileFlag: flags.file}, [...warnings, ...loaded.warnings])
  }
  // The environment as it was before any load applied the config's `env` section to it.
  const baseEnv = {...env}
  const setup = setupGatewayClient({paths, env, flags})
  const gateway = await import('./gateway-reader.js')
  const open = (target: GatewayTarget) => gateway.openGatewayTailReader({target, timeoutMs: request.timeoutMs, clientInfo: request.clientInfo, sizing: request.sizing, watchdog: request.follow})
  // A target from the config (not `--url`/`--port`) is resolved again on every reconnect: a
  // `gateway.port` edit restarts the gateway on the new port, and the follow must go there.
  const fixed = flags.url !== undefined || flags.port !== undefined
  const reopen = () => open(fixed ? setup.target : setupGatewayClient({paths, env: {...baseEnv}, flags}).target)
  let reader: TailReader | undefined
  try {
    reader = await open(setup.target)
    return {reader, first: await reader.tail(), warnings: setup.warnings, reopen}
  } catch (error) {
    reader?.close()
    const seen: {lock: GatewayLockInfo | null} = {lock: null}
    const hasLiveGatewayLock = () => (seen.lock = readLiveGatewayLock(paths)) !== null
    const fallback = gateway.decideLogsFallback(error, {explicitTarget: setup.target.explicit, hasLiveGatewayLock})
    if (!fallback.local) throw seen.lock === null ? error : withLockHint(error, seen.lock)
    const note = gateway.fallbackNote(fallback, setup.target.url, error)
    const warnings = note === null ? setup.warnings : [...setup.warnings, note]
    return openLocal(request, {paths, config: setup.inputs.config, authored: setup.inputs.authored}, warnings)
  }
}

async function openLocal(request: LogsRequest, file: LocalLogFileOptions, warnings: string[]): Promise<OpenedLogs> {
  const now = request.now ?? (() => new Date())
  const locate = localLogLocator(file)
  assertLogFileExists(locate(now()), file.fileFlag !== undefined)
  const reader = createLocalTailReader(locate, request.sizing, now)
  return {reader, first: await reader.tail(), warnings}
}

/** Nothing answers, yet a live gateway holds this state dir: say where it is instead of reading around it. */
function withLockHint(error: unknown, lock: GatewayLockInfo): unknown {
  if (!isAppError(error)) return error
  const hint = lock.port === null
    ? `A gateway (pid ${lock.pid}) holds this state dir but does not answer; read the file directly: openclaw logs --local`
    : `A gateway (pid ${lock.pid}) runs here on port ${lock.port}: openclaw logs --port ${lock.port}  (or read the file: openclaw logs --local)`
  return new AppError(error.code, error.message, {hint: [hint, ...error.hint], details: error.details, cause: error})
}

function invalidConfigNote(count: number): string {
  return `Config is invalid (${count} issue${count === 1 ? '' : 's'}); see: openclaw config validate`
}

/** Parses stored lines and keeps those at or above `minLevel` (all of them without one). */
export function selectLines(lines: readonly string[], minLevel: LogLevel | undefined): ParsedLogLine[] {
  const parsed = lines.map(parseLogLine)
  if (minLevel === undefined) return parsed
  return parsed.filter((line) => isLogLevel(line.level) && passesLevel(line.level, minLevel))
}

function isLogLevel(level: string | null): level is LogLevel {
  return level !== null && (LOG_LEVELS as readonly string[]).includes(level)
}
