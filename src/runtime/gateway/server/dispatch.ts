/**
 * Request processing after the handshake (protocol.md §2.4): the only place that frames
 * responses, checks role and scope, validates params and maps errors. Handlers never see a bad
 * request and never crash the server; test them by calling `dispatchFrame` with a fake connection.
 */
import {isAppError} from '../../errors/app-error.js'
import {appErrorShape} from './app-error-wire.js'
import {MethodError} from './method-error.js'
import type {MethodRateLimiter} from './method-rate-limit.js'
import {DETAIL_CODES, formatIssues, MESSAGES, type ErrorShape, type RequestFrame, type ResponseFrame} from '../protocol/frames.js'
import {parseFrame, FRAME_ISSUES} from '../protocol/parse-frame.js'
import type {ConnectionView, MethodDefinition, MethodRegistry} from './registry.js'
import type {RequestGate} from './request-gate.js'
import {hasScope} from './scopes.js'
import type {GatewayServices} from './services.js'

/** A connection as dispatch needs it: who is calling, and where the answer goes. */
export interface DispatchConnection extends ConnectionView {
  /** Sends one serialized frame; the connection applies back-pressure rules (§5). */
  send(text: string): void
}

export interface DispatchDeps {
  readonly registry: MethodRegistry
  readonly services: GatewayServices
  /** Admission control; without one every request runs at once (unit tests). */
  readonly gate?: RequestGate
  /** Enforces methods' `rateLimit`; without one limits are not applied. */
  readonly rateLimiter?: MethodRateLimiter
}

const EMPTY_PARAMS = Object.freeze({})

function failure(id: string, error: ErrorShape): ResponseFrame {
  return {type: 'res', id, ok: false, error}
}

function invalid(id: string, message: string, details?: unknown): ResponseFrame {
  return failure(id, details === undefined ? {code: 'INVALID_REQUEST', message} : {code: 'INVALID_REQUEST', message, details})
}

/** Serializes a response; a payload that cannot be serialized becomes `UNAVAILABLE`. */
export function encodeResponse(response: ResponseFrame): string {
  try {
    return JSON.stringify(response)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return JSON.stringify(failure(response.id, {code: 'UNAVAILABLE', message}))
  }
}

/** Maps a thrown value to the wire error: MethodError keeps its shape, an AppError maps by its code, anything else is UNAVAILABLE. */
export function errorShapeFor(error: unknown): ErrorShape {
  if (error instanceof MethodError) return error.toShape()
  if (isAppError(error)) return appErrorShape(error)
  const message = error instanceof Error ? error.message : String(error)
  return {code: 'UNAVAILABLE', message: message === '' ? 'internal error' : message}
}

/** Steps 2–8 of §2.4 for a well-formed request. Never rejects. */
export async function dispatchRequest(frame: RequestFrame, conn: ConnectionView, deps: DispatchDeps): Promise<ResponseFrame> {
  return runRequest(frame, conn, deps)
}

/**
 * Steps 2–8 of §2.4. Synchronous when the handler is (the hot path: no promise, no microtask hop
 * between the request and its answer); a promise when admission waits or the handler is async.
 */
function runRequest(frame: RequestFrame, conn: ConnectionView, deps: DispatchDeps): ResponseFrame | Promise<ResponseFrame> {
  const {id, method: name} = frame
  if (name === 'connect') return invalid(id, MESSAGES.connectAgain)
  const method = deps.registry.get(name)
  if (method === undefined) return invalid(id, MESSAGES.unknownMethod(name))
  if (conn.role === 'node' && name !== 'health') return invalid(id, MESSAGES.nodeRole)
  if (!hasScope(conn.scopes, method.scope)) {
    const scope = method.scope as string
    return failure(id, {
      code: 'FORBIDDEN',
      message: MESSAGES.missingScope(scope),
      details: {code: DETAIL_CODES.missingScope, missingScope: scope, requiredScopes: [scope]},
    })
  }
  const parsed = method.params.safeParse(frame.params ?? EMPTY_PARAMS)
  if (!parsed.success) return invalid(id, MESSAGES.invalidParams(name, formatIssues(parsed.error)))
  if (method.ready !== undefined && !method.ready(deps.services)) {
    return failure(id, {code: 'UNAVAILABLE', message: MESSAGES.unavailableDuringStartup(name), retryable: true, retryAfterMs: 500, details: {reason: 'startup-sidecars', method: name}})
  }
  if (method.rateLimit !== undefined && deps.rateLimiter !== undefined) {
    const waitMs = deps.rateLimiter.take(name, conn.ip, method.rateLimit)
    if (waitMs > 0) {
      const limit = `${method.rateLimit.max} per ${Math.round(method.rateLimit.windowMs / 1000)}s`
      return failure(id, {code: 'UNAVAILABLE', message: `rate limit exceeded for ${name}; retry after ${Math.ceil(waitMs / 1000)}s`, retryable: true, retryAfterMs: waitMs, details: {method: name, limit}})
    }
  }

  const admission = deps.gate === undefined ? true : deps.gate.enter()
  if (admission === false) return failure(id, {code: 'UNAVAILABLE', message: MESSAGES.busy, retryable: true, retryAfterMs: 1000})
  if (admission !== true) return admission.then(() => invoke(method, parsed.data, frame, conn, deps))
  return invoke(method, parsed.data, frame, conn, deps)
}

/** Runs an admitted handler; its gate slot is released once the result (or error) is in. */
function invoke(method: MethodDefinition, params: unknown, frame: RequestFrame, conn: ConnectionView, deps: DispatchDeps): ResponseFrame | Promise<ResponseFrame> {
  let result: unknown
  try {
    result = method.handler(params, {conn, gateway: deps.services, requestId: frame.id})
  } catch (error) {
    deps.gate?.leave()
    return handlerFailure(error, frame, conn, deps)
  }
  if (!(result instanceof Promise)) {
    deps.gate?.leave()
    return success(frame.id, result)
  }
  return result.then(
    (value: unknown) => success(frame.id, value),
    (error: unknown) => handlerFailure(error, frame, conn, deps),
  ).finally(() => deps.gate?.leave())
}

function success(id: string, result: unknown): ResponseFrame {
  return {type: 'res', id, ok: true, payload: result === undefined ? null : result}
}

function handlerFailure(error: unknown, frame: RequestFrame, conn: ConnectionView, deps: DispatchDeps): ResponseFrame {
  if (!(error instanceof MethodError) && !(isAppError(error) && error.code !== 'INTERNAL')) {
    deps.services.logger.error(`gateway method ${frame.method} failed`, {requestId: frame.id, connId: conn.connId, error: error instanceof Error ? error.stack ?? error.message : String(error)})
  }
  return failure(frame.id, errorShapeFor(error))
}

/**
 * The wire text of a response. The cached health snapshot, the hot path's payload, is serialized
 * once per refresh rather than per call, memoized payloads once per server; only the request id
 * is spliced in (the same bytes as `encodeResponse`).
 */
function encodeForWire(response: ResponseFrame, deps: DispatchDeps): string {
  if (response.ok) {
    const json = deps.services.health.jsonFor(response.payload) ?? deps.services.memo?.jsonFor(response.payload)
    if (json !== undefined) return `{"type":"res","id":${JSON.stringify(response.id)},"ok":true,"payload":${json}}`
  }
  return encodeResponse(response)
}

/**
 * Handles one inbound frame of an authenticated connection and sends exactly one response.
 * Malformed input (binary, bad JSON, bad shape) gets `invalid request frame: …` with the frame's
 * string id, else `"invalid"`; the socket stays open. Answers synchronously when the handler is
 * synchronous; otherwise returns a promise that settles once the answer is sent.
 */
export function dispatchFrame(data: string, isBinary: boolean, conn: DispatchConnection, deps: DispatchDeps): Promise<void> | undefined {
  if (isBinary) {
    conn.send(encodeResponse(invalid('invalid', MESSAGES.invalidRequestFrame(FRAME_ISSUES.binary))))
    return undefined
  }
  const parsed = parseFrame(data)
  if (!parsed.ok) {
    conn.send(encodeResponse(invalid(parsed.id ?? 'invalid', MESSAGES.invalidRequestFrame(parsed.issues))))
    return undefined
  }
  const response = runRequest(parsed.frame, conn, deps)
  if (response instanceof Promise) return response.then((settled) => conn.send(encodeForWire(settled, deps)))
  conn.send(encodeForWire(response, deps))
  return undefined
}
