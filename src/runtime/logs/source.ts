/**
 * When `openclaw logs` may fall back from the gateway to the local file (operations.md §1.2, §7).
 * Pure apart from the lock check, which is passed in.
 */
import {isAppError} from '../errors/app-error.js'
import {isConnectionRefused} from '../gateway/client/client.js'

/** Why the local file is read instead of the gateway. */
export type LogsFallbackReason = 'not-running' | 'auth-refused' | 'timeout'

export type LogsFallback = {local: true; reason: LogsFallbackReason} | {local: false}

export interface LogsFallbackContext {
  /** The target came from `--url`, OPENCLAW_GATEWAY_URL or `gateway.remote.url`: never local then. */
  explicitTarget: boolean
  /** Whether a live `locks/gateway.lock` exists; asked only for a refused connection. */
  hasLiveGatewayLock: () => boolean
}

/**
 * Decides after the gateway attempt failed with `error`:
 * - explicit target: never local;
 * - connection refused at the implicit loopback target and no live gateway lock: local (§1.2);
 * - auth/pairing refusal or a timeout at the implicit target: local, read-only (§7: reading a
 *   file is always safe, unlike running a turn);
 * - anything else (another socket error, a protocol gap, an error answer): not local.
 */
export function decideLogsFallback(error: unknown, context: LogsFallbackContext): LogsFallback {
  if (context.explicitTarget || !isAppError(error)) return {local: false}
  if (isConnectionRefused(error)) return context.hasLiveGatewayLock() ? {local: false} : {local: true, reason: 'not-running'}
  if (error.code === 'GATEWAY_AUTH_FAILED') return {local: true, reason: 'auth-refused'}
  if (error.code === 'GATEWAY_TIMEOUT') return {local: true, reason: 'timeout'}
  return {local: false}
}

/** The stderr note for a fallback; null when the `(local)` header says enough. */
export function fallbackNote(fallback: LogsFallback, url: string, error: unknown): string | null {
  if (!fallback.local || fallback.reason === 'not-running') return null
  const why = error instanceof Error ? error.message : String(error)
  return fallback.reason === 'auth-refused'
    ? `the gateway at ${url} refused the credentials (${why}); showing the local log file instead`
    : `the gateway at ${url} did not answer in time; showing the local log file instead`
}
