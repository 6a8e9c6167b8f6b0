/** Operator scopes and their implications (protocol.md §4.3, §4.4). */
import {OPERATOR_SCOPES, type ClientId, type ClientMode, type OperatorScope} from '../protocol/frames.js'

const KNOWN = new Set<string>(OPERATOR_SCOPES)

/** Known scopes from a requested list, deduplicated in request order; unknown strings are dropped. */
export function normalizeScopes(requested: readonly string[] | undefined): OperatorScope[] {
  if (requested === undefined) return []
  const out: OperatorScope[] = []
  for (const scope of requested) {
    if (KNOWN.has(scope) && !out.includes(scope as OperatorScope)) out.push(scope as OperatorScope)
  }
  return out
}

/** `admin` satisfies every scope, `write` satisfies `read`; `undefined` (no scope needed) always passes. */
export function hasScope(granted: readonly OperatorScope[], required: OperatorScope | undefined): boolean {
  if (required === undefined) return true
  if (granted.includes('operator.admin') || granted.includes(required)) return true
  return required === 'operator.read' && granted.includes('operator.write')
}

export interface ScopeGrantInput {
  clientId: ClientId
  clientMode: ClientMode
  loopback: boolean
  authMode: 'token' | 'password' | 'none'
  requested: readonly string[] | undefined
}

/**
 * Effective scopes of a device-less operator that passed the shared-secret check (§4.4): the
 * requested ones for a loopback `cli`/`cli` or `gateway-client`/`backend`, or in auth mode none;
 * otherwise none at all (`health` only) until it pairs a device (phase 2).
 */
export function deviceLessScopes(input: ScopeGrantInput): OperatorScope[] {
  const trusted =
    input.authMode === 'none' ||
    (input.loopback && input.clientId === 'cli' && input.clientMode === 'cli') ||
    (input.loopback && input.clientId === 'gateway-client' && input.clientMode === 'backend')
  return trusted ? normalizeScopes(input.requested) : []
}
