import {canonicalSessionKey} from '../../routing/session-key.js'

/**
 * Legacy session keys → current ones (config.md §13): lower-cased, prefixed `agent:<id>:`, and
 * `group:<x>` → `agent:<id>:<channel>:group:<x>` where the channel comes from the entry's own
 * `channel`/`lastChannel` (never invented). Pure; null when the key cannot be migrated safely.
 */
export function canonicalLegacyKey(key: string, agentId: string, entry: Record<string, unknown>): string | null {
  const lower = key.trim().toLowerCase()
  if (lower === '') return null
  if (lower.startsWith('group:') || lower.startsWith('channel:')) {
    const channel = typeof entry.channel === 'string' && entry.channel !== '' ? entry.channel : typeof entry.lastChannel === 'string' && entry.lastChannel !== '' ? entry.lastChannel : null
    if (channel === null) return null
    return `agent:${agentId}:${channel.toLowerCase()}:${lower}`
  }
  return canonicalSessionKey(lower, agentId)
}
