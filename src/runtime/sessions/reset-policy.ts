/**
 * Session reset policy (runtime.md §6.2): which policy applies to a session (most specific wins)
 * and whether a session is stale at a given time. Pure; local time is the process zone.
 */
export interface ResetPolicy {
  mode: 'daily' | 'idle' | 'none'
  atHour: number
  idleMinutes?: number
}

type PolicyPart = Partial<ResetPolicy>

/** The `session` keys the policy reads; the frozen Config's `session` satisfies it. */
export interface ResetPolicyConfig {
  reset: ResetPolicy
  resetByType?: {direct?: PolicyPart; group?: PolicyPart; thread?: PolicyPart}
  resetByChannel?: Readonly<Record<string, PolicyPart>>
}

/** `resetByChannel.<ch>` over `resetByType.<type>` over `reset` (thread = topic sessions). */
export function resolveResetPolicy(config: ResetPolicyConfig, where: {channel?: string; chatType?: string; isThread?: boolean}): ResetPolicy {
  const type = where.isThread === true ? 'thread' : where.chatType === 'group' || where.chatType === 'channel' ? 'group' : 'direct'
  const byType = config.resetByType?.[type]
  const byChannel = where.channel === undefined ? undefined : config.resetByChannel?.[where.channel]
  const merged = {...config.reset, ...definedOnly(byType), ...definedOnly(byChannel)}
  return {mode: merged.mode, atHour: merged.atHour, ...(merged.idleMinutes === undefined ? {} : {idleMinutes: merged.idleMinutes})}
}

function definedOnly(part: PolicyPart | undefined): PolicyPart {
  return Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined)) as PolicyPart
}

/** The latest local `atHour:00` that is not after `now`. */
export function lastDailyBoundary(now: number, atHour: number): number {
  const d = new Date(now)
  d.setHours(atHour, 0, 0, 0)
  if (d.getTime() > now) d.setDate(d.getDate() - 1)
  return d.getTime()
}

/** Why the session is stale at `now` (`daily` / `idle`), or null when it is kept. */
export function staleReason(policy: ResetPolicy, entry: {sessionStartedAt: number; lastInteractionAt: number}, now: number): 'daily' | 'idle' | null {
  if (policy.mode === 'none') return null
  if (policy.mode === 'daily' && entry.sessionStartedAt < lastDailyBoundary(now, policy.atHour)) return 'daily'
  if (policy.idleMinutes !== undefined && (policy.mode === 'idle' || policy.mode === 'daily') && now - entry.lastInteractionAt >= policy.idleMinutes * 60_000) return 'idle'
  return null
}

/** When the session would next go stale (ms), or null for `none`. */
export function nextResetAt(policy: ResetPolicy, entry: {sessionStartedAt: number; lastInteractionAt: number}, now: number): number | null {
  if (policy.mode === 'none') return null
  const candidates: number[] = []
  if (policy.mode === 'daily') {
    const next = new Date(lastDailyBoundary(now, policy.atHour))
    next.setDate(next.getDate() + 1)
    candidates.push(entry.sessionStartedAt < lastDailyBoundary(now, policy.atHour) ? now : next.getTime())
  }
  if (policy.idleMinutes !== undefined) candidates.push(entry.lastInteractionAt + policy.idleMinutes * 60_000)
  return candidates.length === 0 ? null : Math.min(...candidates)
}

/** `daily at 04:00`, `idle 90m`, `daily at 04:00 + idle 90m`, `none`. */
export function describeResetPolicy(policy: ResetPolicy): string {
  if (policy.mode === 'none') return 'none'
  const parts: string[] = []
  if (policy.mode === 'daily') parts.push(`daily at ${String(policy.atHour).padStart(2, '0')}:00`)
  if (policy.idleMinutes !== undefined) parts.push(`idle ${policy.idleMinutes}m`)
  return parts.join(' + ')
}
