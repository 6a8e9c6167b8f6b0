/**
 * How the CLI's gateway client turns transport failures and gateway error answers into AppErrors
 * (operations.md §1.2, protocol §9 steps 5–7). Every error carries `details.url`, `details.phase`
 * and `details.requestSent`, so WS→L commands can tell "nothing listens" (fall back) from
 * everything else (never fall back).
 */
import {AppError} from '../../errors/app-error.js'
import {tokenFingerprint} from '../protocol/token-fingerprint.js'
import {DETAIL_CODES, PROTOCOL_MAX, PROTOCOL_MIN, type ErrorShape} from '../protocol/frames.js'

export const UNREACHABLE_HINT = 'Start it: openclaw gateway start (or run it here: openclaw gateway run)'
/** Where the gateway's own fingerprint is: its startup log line `auth: token (from …, sha256:…)`. */
export const TOKEN_HINT = 'Compare with the gateway\'s token, logged at its start as "auth: token (from …, sha256:…)": openclaw logs --local --level info'
export const PASSWORD_HINT = 'Compare with the gateway\'s password, logged at its start as "auth: password (from …, sha256:…)": openclaw logs --local --level info'

/** What the CLI sent and where it came from, for the auth-refused hint (never the secret itself). */
export interface SentSecret {
  kind: 'token' | 'password'
  /** `--token`, `OPENCLAW_GATEWAY_TOKEN`, `gateway.auth.token`, …; undefined when nothing was sent. */
  source?: string
  value?: string
}
const STATUS_HINT = 'Check whether it is up: openclaw gateway probe'

/** Where in the call a failure happened. */
export type ClientPhase = 'connect' | 'handshake' | 'request'

/** Socket errors that mean "no gateway there" rather than "a gateway misbehaved". */
const UNREACHABLE_ERRNOS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'address not available',
}

/** A socket-level failure while opening the WebSocket (nothing was sent yet). */
export function socketError(url: string, error: Error & {code?: string}): AppError {
  const errno = error.code
  const reason = (errno !== undefined ? UNREACHABLE_ERRNOS[errno] : undefined) ?? error.message
  return new AppError('GATEWAY_UNREACHABLE', `gateway not reachable at ${url}: ${reason}`, {
    hint: [isLoopbackUrl(url) ? UNREACHABLE_HINT : `Check that a gateway runs there: openclaw gateway probe --url ${url} --token <token>`],
    details: {url, phase: 'connect', requestSent: false, errno: errno ?? null},
    cause: error,
  })
}

/** The URL answered plain HTTP instead of upgrading: not a gateway, or one refusing sockets (503). */
export function upgradeRefused(url: string, status: number): AppError {
  if (status === 503) {
    return new AppError('GATEWAY_UNREACHABLE', `gateway at ${url} refused the connection (HTTP 503: too many unauthenticated connections)`, {
      hint: ['Retry in a moment', STATUS_HINT],
      details: {url, phase: 'connect', requestSent: false, httpStatus: status},
    })
  }
  return new AppError('GATEWAY_PROTOCOL', `${url} answered HTTP ${status} instead of a WebSocket upgrade; is it an openclaw gateway?`, {
    hint: ['Check the URL and port: openclaw gateway probe'],
    details: {url, phase: 'connect', requestSent: false, httpStatus: status},
  })
}

/** The budget ran out. `what` says what we were waiting for. */
export function timeoutError(url: string, phase: ClientPhase, timeoutMs: number, what: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('GATEWAY_TIMEOUT', `gateway at ${url} did not answer within ${timeoutMs} ms (waiting for ${what})`, {
    hint: ['Retry with a longer budget: --timeout 30000', STATUS_HINT],
    details: {url, phase, requestSent: phase === 'request', timeoutMs, ...extra},
  })
}

/** The socket closed before the answer we waited for. */
export function closedError(url: string, phase: ClientPhase, code: number, reason: string): AppError {
  const why = reason === '' ? `code ${code}` : `code ${code}: ${reason}`
  const restarting = code === 1012 || code === 1013
  return new AppError('GATEWAY_CLOSED', `gateway at ${url} closed the connection ${phase === 'request' ? 'before answering' : 'during the handshake'} (${why})`, {
    hint: restarting ? ['The gateway is restarting; retry in a moment', STATUS_HINT] : [STATUS_HINT],
    details: {url, phase, requestSent: phase === 'request', closeCode: code, closeReason: reason},
  })
}

/** A frame we cannot read, or a `hello-ok` outside protocol 3–4. */
export function protocolError(url: string, phase: ClientPhase, message: string): AppError {
  return new AppError('GATEWAY_PROTOCOL', message, {
    hint: ['Upgrade the older side; see the server version: openclaw gateway probe'],
    details: {url, phase, requestSent: phase === 'request'},
  })
}

/**
 * `connect` answered `ok:false` (protocol §3.7, §4.1). Auth and pairing refusals are
 * GATEWAY_AUTH_FAILED, a version gap GATEWAY_PROTOCOL, a retryable UNAVAILABLE that outlived the
 * budget GATEWAY_TIMEOUT (the caller handles that case); anything else is a refused handshake.
 */
export function connectRefused(url: string, error: ErrorShape, passwordAuth: boolean, sent?: SentSecret): AppError {
  const detailCode = detailCodeOf(error)
  const details = {url, phase: 'handshake', requestSent: false, gatewayError: error}
  if (detailCode === DETAIL_CODES.protocolMismatch) {
    const d = error.details as {expectedProtocol?: unknown; minimumProtocol?: unknown}
    const max = typeof d.expectedProtocol === 'number' ? d.expectedProtocol : undefined
    const min = typeof d.minimumProtocol === 'number' ? d.minimumProtocol : max
    const server = max === undefined ? '' : `; the gateway speaks ${min}-${max}`
    return new AppError('GATEWAY_PROTOCOL', `protocol mismatch: this client speaks ${PROTOCOL_MIN}-${PROTOCOL_MAX}${server}`, {
      hint: ['Upgrade the older side; see the server version: openclaw gateway probe'],
      details,
    })
  }
  if (detailCode === DETAIL_CODES.pairingRequired) {
    const requestId = (error.details as {requestId?: unknown}).requestId
    return new AppError('GATEWAY_AUTH_FAILED', error.message, {
      hint: typeof requestId === 'string' ? [`Approve it on the gateway host: openclaw gateway call device.pair.approve --params '{"requestId":"${requestId}"}'`] : [TOKEN_HINT],
      details,
    })
  }
  if (detailCode === DETAIL_CODES.authRateLimited) {
    const wait = error.retryAfterMs === undefined ? 'a few minutes' : `${Math.ceil(error.retryAfterMs / 1000)} s`
    return new AppError('GATEWAY_AUTH_FAILED', error.message, {hint: [`Wait ${wait}, then retry with the right credentials`, TOKEN_HINT], details})
  }
  const isAuth = detailCode !== undefined && /^(AUTH_|DEVICE_)/.test(detailCode)
  if (isAuth || error.code === 'NOT_PAIRED' || error.message.startsWith('unauthorized')) {
    const password = detailCode?.startsWith('AUTH_PASSWORD') ?? passwordAuth
    return new AppError('GATEWAY_AUTH_FAILED', error.message, {hint: [...sentSecretHint(sent, password ? 'password' : 'token'), password ? PASSWORD_HINT : TOKEN_HINT], details})
  }
  return new AppError('GATEWAY_PROTOCOL', `gateway refused the handshake: ${error.message}`, {
    hint: ['Upgrade the older side; see the server version: openclaw gateway probe'],
    details,
  })
}

/**
 * A `res` with `ok:false` for our request: GATEWAY_REQUEST_FAILED, the gateway's message as the
 * message and its ErrorShape as `details`. An upstream gateway answers a method it does not
 * advertise with `FORBIDDEN missing scope: operator.admin`; that reads as `unknown method` (§10).
 */
export function requestFailed(method: string, error: ErrorShape, payload: unknown, advertisedMethods: readonly string[]): AppError {
  const unadvertised = error.code === 'FORBIDDEN' && error.message === 'missing scope: operator.admin' && !advertisedMethods.includes(method)
  const shape: ErrorShape = unadvertised ? {code: 'INVALID_REQUEST', message: `unknown method: ${method}`, details: {upstream: error}} : error
  return new AppError('GATEWAY_REQUEST_FAILED', shape.message, {
    details: {...shape},
    result: payload,
  })
}

/** `The CLI sent the token from OPENCLAW_GATEWAY_TOKEN (sha256:1a2b3c4d)`, or how to send one. */
function sentSecretHint(sent: SentSecret | undefined, wanted: 'token' | 'password'): string[] {
  if (sent === undefined) return []
  if (sent.kind !== wanted || sent.value === undefined) return [`The CLI sent no ${wanted}; pass one: --${wanted} <${wanted}> (or set OPENCLAW_GATEWAY_${wanted.toUpperCase()})`]
  return [`The CLI sent the ${wanted} from ${sent.source ?? 'the caller'} (${tokenFingerprint(sent.value)})`]
}

/** A gateway on this machine can be started here; one elsewhere can only be checked. */
function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

function detailCodeOf(error: ErrorShape): string | undefined {
  const details = error.details
  if (typeof details !== 'object' || details === null) return undefined
  const code = (details as {code?: unknown}).code
  return typeof code === 'string' ? code : undefined
}
