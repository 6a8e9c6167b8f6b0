/**
 * Session keys (runtime.md §4): lower-case strings naming a conversation of an agent.
 */
import type {Peer} from './envelope.js'
import {normalizeAgentId, normalizeIdToken} from './normalize.js'

export type DmScope = 'main' | 'per-peer' | 'per-channel-peer' | 'per-account-channel-peer'

export interface SessionKeySettings {
  scope: 'per-sender' | 'global'
  dmScope: DmScope
  mainKey: string
  identityLinks: Readonly<Record<string, readonly string[]>>
}

export const GLOBAL_SESSION_KEY = 'global'

/** `agent:<a>:<mainKey>` (or `global` under `session.scope: "global"`). */
export function mainSessionKey(agentId: string, settings: Pick<SessionKeySettings, 'scope' | 'mainKey'>): string {
  if (settings.scope === 'global') return GLOBAL_SESSION_KEY
  return `agent:${normalizeAgentId(agentId)}:${settings.mainKey.trim().toLowerCase() || 'main'}`
}

/**
 * The canonical name linked to a peer (`<ch>:<peer>` first, then the bare `<peer>`), sanitized like
 * an id; undefined when no link names it.
 */
export function linkedIdentity(links: SessionKeySettings['identityLinks'], channel: string, peerId: string): string | undefined {
  const wanted = [`${channel}:${peerId}`.toLowerCase(), peerId.toLowerCase()]
  for (const candidate of wanted) {
    for (const [name, peers] of Object.entries(links)) {
      if (peers.some((p) => p.trim().toLowerCase() === candidate)) return normalizeIdToken(name) || undefined
    }
  }
  return undefined
}

export interface SessionKeyInput {
  agentId: string
  channel: string
  accountId: string
  peer: Peer
}

/** The session key of a conversation, per `session.scope`/`dmScope` and identity links. */
export function buildSessionKey(input: SessionKeyInput, settings: SessionKeySettings): string {
  if (settings.scope === 'global') return GLOBAL_SESSION_KEY
  const agent = normalizeAgentId(input.agentId)
  const ch = input.channel.toLowerCase()
  const peerId = input.peer.id.trim().toLowerCase()
  if (input.peer.kind === 'group') return `agent:${agent}:${ch}:group:${peerId}`
  if (input.peer.kind === 'channel') return `agent:${agent}:${ch}:channel:${peerId}`
  if (settings.dmScope === 'main') return mainSessionKey(agent, settings)
  const who = linkedIdentity(settings.identityLinks, ch, peerId) ?? peerId
  if (settings.dmScope === 'per-peer') return `agent:${agent}:direct:${who}`
  if (settings.dmScope === 'per-channel-peer') return `agent:${agent}:${ch}:direct:${who}`
  return `agent:${agent}:${ch}:${input.accountId.toLowerCase()}:direct:${who}`
}

/**
 * A caller-supplied key made canonical: trimmed, lower-case; a key not starting with `agent:` (and
 * not `global`) gets `agent:<agentId>:` in front (`main` → `agent:main:main`).
 */
export function canonicalSessionKey(key: string, agentId: string): string {
  const k = key.trim().toLowerCase()
  if (k === GLOBAL_SESSION_KEY || k.startsWith('agent:')) return k
  return `agent:${normalizeAgentId(agentId)}:${k}`
}

/** The agent id inside `agent:<id>:…`; undefined for `global` or a malformed key. */
export function agentIdOfSessionKey(key: string): string | undefined {
  const match = /^agent:([a-z0-9_-]+):./.exec(key.trim().toLowerCase())
  return match?.[1]
}

/** The forum topic number of `…:group:<chat>:topic:<n>`, used for the transcript file name. */
export function topicOfSessionKey(key: string): string | undefined {
  return /:topic:([^:]+)$/.exec(key)?.[1]
}
