/**
 * Id normalization shared by routing, session keys and the agents registry (runtime.md §3.1).
 */

const MAX_ID_LENGTH = 64

/** Trim, lower-case, collapse runs outside `[a-z0-9_-]` to one `-`, strip edge dashes, cut to 64. */
export function normalizeIdToken(value: string | undefined): string {
  return (value ?? '')
    .trim()
    .toLowerCase()
    .replaceAll(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/-+$/, '')
}

/** An account id; empty gives `default`. */
export function normalizeAccountId(value: string | undefined): string {
  return normalizeIdToken(value) || 'default'
}

/** An agent id; empty gives `main`. */
export function normalizeAgentId(value: string | undefined): string {
  return normalizeIdToken(value) || 'main'
}

/** A channel id: trimmed, lower-case. */
export function normalizeChannel(value: string): string {
  return value.trim().toLowerCase()
}

/** Peer kind `dm` (legacy) means `direct`. */
export function normalizePeerKind(kind: string): 'direct' | 'group' | 'channel' {
  const k = kind.trim().toLowerCase()
  return k === 'dm' ? 'direct' : (k as 'direct' | 'group' | 'channel')
}
