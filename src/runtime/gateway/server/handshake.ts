/**
 * Deciding a `connect` request (protocol.md §3.2–§3.7, §4): the failure matrix in its exact
 * order, with the fixed messages, details and close codes. Pure apart from the rate limiter, so
 * the whole matrix is table-testable.
 */
import {checkSharedSecret, authFailure, type AuthMode, type GatewayAuthSettings} from './auth.js'
import type {AuthRateLimiter} from './auth-rate-limit.js'
import {
  CLOSE_CODES, CLOSE_REASONS, ConnectParamsSchema, DETAIL_CODES, formatIssues, MESSAGES, PROTOCOL_MAX, PROTOCOL_MIN,
  type ConnectParams, type ErrorShape, type OperatorScope, type RequestFrame,
} from '../protocol/frames.js'
import {deviceLessScopes} from './scopes.js'

/** `starting`: runtime still loading; `draining`: stopping or restarting. */
export type GatewayPhase = 'starting' | 'running' | 'draining'

export interface HandshakeContext {
  phase: GatewayPhase
  auth: GatewayAuthSettings
  limiter: AuthRateLimiter
  peer: {ip: string; loopback: boolean; origin: string | undefined; originAllowed: boolean}
  /** This socket's `connect.challenge` nonce; phase 2 device proofs must echo it. */
  nonce: string
}

export interface ConnectAccepted {
  ok: true
  params: ConnectParams
  protocol: number
  role: 'operator' | 'node'
  scopes: OperatorScope[]
  method: AuthMode
}

export interface ConnectRejected {
  ok: false
  error: ErrorShape
  closeCode: number
  closeReason: string
  /** Wait this long before answering (escalating delay for exempt loopback failures, §4.2). */
  delayMs: number
}

export type ConnectDecision = ConnectAccepted | ConnectRejected

function reject(error: ErrorShape, closeCode: number = CLOSE_CODES.policyViolation, closeReason = error.message, delayMs = 0): ConnectRejected {
  return {ok: false, error, closeCode, closeReason, delayMs}
}

/** Highest version in {3,4} ∩ [min, max], or undefined (§3.3). */
export function negotiateProtocol(min: number, max: number): number | undefined {
  const top = Math.min(max, PROTOCOL_MAX)
  return top >= Math.max(min, PROTOCOL_MIN) ? top : undefined
}

/** Decides the first request of a socket; the caller answers with hello-ok or the rejection. */
export function decideConnect(frame: RequestFrame, ctx: HandshakeContext): ConnectDecision {
  if (frame.method !== 'connect') {
    return reject({code: 'INVALID_REQUEST', message: MESSAGES.firstRequestNotConnect})
  }
  const parsed = ConnectParamsSchema.safeParse(frame.params ?? {})
  if (!parsed.success) {
    return reject({code: 'INVALID_REQUEST', message: MESSAGES.invalidConnectParams(formatIssues(parsed.error))})
  }
  const params = parsed.data
  const protocol = negotiateProtocol(params.minProtocol, params.maxProtocol)
  if (protocol === undefined) {
    return reject({
      code: 'INVALID_REQUEST',
      message: MESSAGES.protocolMismatch,
      details: {code: DETAIL_CODES.protocolMismatch, clientMinProtocol: params.minProtocol, clientMaxProtocol: params.maxProtocol, expectedProtocol: PROTOCOL_MAX, minimumProtocol: PROTOCOL_MIN},
    }, CLOSE_CODES.protocolMismatch, CLOSE_REASONS.protocolMismatch)
  }
  const role = params.role ?? 'operator'
  if (role !== 'operator' && role !== 'node') return reject({code: 'INVALID_REQUEST', message: MESSAGES.invalidRole})
  if (ctx.phase === 'starting') {
    return reject({code: 'UNAVAILABLE', message: MESSAGES.gatewayStarting, details: {reason: 'startup-sidecars'}, retryable: true, retryAfterMs: 500},
      CLOSE_CODES.tryAgainLater, CLOSE_REASONS.gatewayStarting)
  }
  if (ctx.phase === 'draining') {
    return reject({code: 'UNAVAILABLE', message: MESSAGES.draining, retryable: true, retryAfterMs: 1000},
      CLOSE_CODES.tryAgainLater, CLOSE_REASONS.restartInProgress)
  }
  const {peer} = ctx
  const hasOrigin = peer.origin !== undefined
  if (hasOrigin && !peer.originAllowed) {
    return reject({code: 'INVALID_REQUEST', message: MESSAGES.originNotAllowed, details: {code: DETAIL_CODES.originNotAllowed}})
  }
  // §4.2: a browser (Origin) is never exempt, even on loopback.
  const exempt = peer.loopback && !hasOrigin
  if (ctx.auth.mode !== 'none') {
    const lock = ctx.limiter.check(peer.ip, exempt)
    if (lock.locked) {
      const {message, details} = authFailure('rate_limited', params.client.id)
      return reject({code: 'INVALID_REQUEST', message, details, retryable: true, retryAfterMs: lock.retryAfterMs})
    }
  }
  const secret = checkSharedSecret(ctx.auth, params)
  if (!secret.ok) {
    const delayMs = secret.counts ? ctx.limiter.recordFailure(peer.ip, exempt) : 0
    return reject({code: 'INVALID_REQUEST', message: secret.message, details: secret.details}, CLOSE_CODES.policyViolation, secret.message, delayMs)
  }
  if (ctx.auth.mode !== 'none') ctx.limiter.recordSuccess(peer.ip)
  // Phase 2 seam (§4.5): verify `params.device` against `ctx.nonce` here, then pairing; a
  // verified device would also unlock `role:"node"` and non-loopback operator scopes.
  if (role === 'node') {
    return reject({code: 'NOT_PAIRED', message: MESSAGES.deviceIdentityRequired, details: {code: DETAIL_CODES.deviceIdentityRequired}})
  }
  const scopes = deviceLessScopes({
    clientId: params.client.id, clientMode: params.client.mode, loopback: peer.loopback, authMode: ctx.auth.mode, requested: params.scopes,
  })
  return {ok: true, params, protocol, role, scopes, method: secret.method}
}
