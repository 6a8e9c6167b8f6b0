/**
 * Shared-secret auth (protocol.md §4.1): token / password / none, constant-time comparison, and
 * the exact `unauthorized: …` messages and details clients branch on. Device identity (§4.5) is
 * phase 2: `connect` hands its `device` block to a verifier seam that phase 1 does not install.
 */
import {createHash, timingSafeEqual} from 'node:crypto'

import type {ClientId, ConnectParams} from '../protocol/frames.js'

export type AuthMode = 'token' | 'password' | 'none'

/** The gateway's resolved auth settings. A mode whose secret is missing rejects every connect. */
export interface GatewayAuthSettings {
  mode: AuthMode
  token?: string
  password?: string
}

export type AuthReason =
  | 'token_missing' | 'token_mismatch' | 'token_missing_config'
  | 'password_missing' | 'password_mismatch' | 'password_missing_config'
  | 'rate_limited'

/** `details` of an auth failure (§4.1). */
export interface AuthFailureDetails {
  code: string
  authReason: AuthReason
  canRetryWithDeviceToken: boolean
  recommendedNextStep: 'update_auth_configuration' | 'update_auth_credentials' | 'wait_then_retry'
}

export type SecretCheck =
  | {ok: true; method: AuthMode}
  | {ok: false; message: string; details: AuthFailureDetails; counts: boolean}

const DETAIL_CODE: Record<AuthReason, string> = {
  token_missing: 'AUTH_TOKEN_MISSING',
  token_mismatch: 'AUTH_TOKEN_MISMATCH',
  token_missing_config: 'AUTH_TOKEN_NOT_CONFIGURED',
  password_missing: 'AUTH_PASSWORD_MISSING',
  password_mismatch: 'AUTH_PASSWORD_MISMATCH',
  password_missing_config: 'AUTH_PASSWORD_NOT_CONFIGURED',
  rate_limited: 'AUTH_RATE_LIMITED',
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** Constant-time equality over SHA-256 digests, so neither content nor length leaks through timing. */
export function secretsEqual(provided: string, expected: string): boolean {
  return timingSafeEqual(digest(provided), digest(expected))
}

/** The `(<hint>)` part: config-key advice for our CLI, generic advice for other clients. */
function hintFor(kind: 'token' | 'password', clientId: ClientId): string {
  return clientId === 'cli' ? `use this gateway's gateway.auth.${kind}` : `provide gateway auth ${kind}`
}

/** The §4.1 failure for `reason`, ready for `ErrorShape.message` / `details`. */
export function authFailure(reason: AuthReason, clientId: ClientId): {message: string; details: AuthFailureDetails} {
  const kind = reason.startsWith('password') ? 'password' : 'token'
  let message: string
  let next: AuthFailureDetails['recommendedNextStep'] = 'update_auth_configuration'
  if (reason === 'rate_limited') {
    message = 'unauthorized: too many failed authentication attempts (retry later)'
    next = 'wait_then_retry'
  } else if (reason.endsWith('_missing_config')) {
    message = `unauthorized: gateway ${kind} not configured on gateway (set gateway.auth.${kind})`
  } else if (reason.endsWith('_mismatch')) {
    message = `unauthorized: gateway ${kind} mismatch (${hintFor(kind, clientId)})`
    next = 'update_auth_credentials'
  } else {
    message = `unauthorized: gateway ${kind} missing (${hintFor(kind, clientId)})`
  }
  return {message, details: {code: DETAIL_CODE[reason], authReason: reason, canRetryWithDeviceToken: false, recommendedNextStep: next}}
}

/**
 * Checks the client's shared secret against the gateway's. In token mode the client's secret is
 * `auth.token`, else `auth.password` (and the reverse in password mode). `counts` says whether
 * the failure feeds the rate limiter: only a wrong secret is a guess; a missing one is not.
 */
export function checkSharedSecret(settings: GatewayAuthSettings, params: Pick<ConnectParams, 'auth' | 'client'>): SecretCheck {
  if (settings.mode === 'none') return {ok: true, method: 'none'}
  const kind = settings.mode
  const expected = kind === 'token' ? settings.token : settings.password
  const fail = (reason: AuthReason, counts: boolean): SecretCheck => ({ok: false, ...authFailure(reason, params.client.id), counts})
  if (expected === undefined || expected === '') return fail(`${kind}_missing_config`, false)
  const auth = params.auth
  const provided = kind === 'token' ? (auth?.token ?? auth?.password) : (auth?.password ?? auth?.token)
  if (provided === undefined || provided === '') return fail(`${kind}_missing`, false)
  return secretsEqual(provided, expected) ? {ok: true, method: kind} : fail(`${kind}_mismatch`, true)
}

/**
 * True when an HTTP `Authorization: Bearer <secret>` carries the gateway token or password
 * (protocol §1.2); used to show readiness details to remote callers.
 */
export function bearerMatches(settings: GatewayAuthSettings, authorization: string | undefined): boolean {
  if (authorization === undefined || !authorization.startsWith('Bearer ')) return false
  const provided = authorization.slice(7).trim()
  if (provided === '') return false
  const secrets = [settings.token, settings.password].filter((s): s is string => s !== undefined && s !== '')
  // Evaluate every candidate so timing does not reveal which secret kind is configured.
  let ok = false
  for (const secret of secrets) ok = secretsEqual(provided, secret) || ok
  return ok
}
