/** Human output of `health`, `gateway health` and `gateway probe` (operations.md §8, §2.1). */

/** What the header line needs; `ready` undefined = not checked (`gateway health`). */
export interface HealthView {
  url: string
  latencyMs: number
  serverVersion: string
  uptimeMs: number | null
  ready?: boolean | null
  failing?: string[]
  readyError?: string
  [key: string]: unknown
}

interface AgentRow {
  agentId?: unknown
  isDefault?: unknown
  sessions?: {count?: unknown}
}

interface AccountRow {
  running?: unknown
  connected?: unknown
  lastError?: unknown
  lastInboundAt?: unknown
  botUsername?: unknown
  probe?: unknown
}

/**
 * ```
 * Gateway ws://127.0.0.1:18789: ok in 6 ms, openclaw 0.4.0, up 2h 13m, ready
 * Agents: main (default), 12 sessions; work, 3 sessions
 * Telegram default: connected as @ana_home_bot, last inbound 3m ago
 * ```
 */
export function renderHealth(view: HealthView, now = Date.now()): string[] {
  const parts = [`${view.ok === false ? 'not ok' : 'ok'} in ${view.latencyMs} ms`, `openclaw ${view.serverVersion}`]
  if (view.uptimeMs !== null) parts.push(`up ${formatDuration(view.uptimeMs)}`)
  if (view.ready === true && (view.failing ?? []).length === 0) parts.push('ready')
  else if (view.ready === false || (view.failing ?? []).length > 0) parts.push(`not ready${view.failing?.length ? ` (failing: ${view.failing.join(', ')})` : ''}`)
  else if (view.ready === null) parts.push(`readiness unknown (${view.readyError ?? 'no answer'})`)
  const lines = [`Gateway ${view.url}: ${parts.join(', ')}`]

  const agents = Array.isArray(view.agents) ? (view.agents as AgentRow[]) : []
  if (agents.length > 0) {
    const rows = agents.map((a) => {
      const count = typeof a.sessions?.count === 'number' ? a.sessions.count : 0
      return `${String(a.agentId)}${a.isDefault === true ? ' (default)' : ''}, ${count} session${count === 1 ? '' : 's'}`
    })
    lines.push(`Agents: ${rows.join('; ')}`)
  }

  const channels = (typeof view.channels === 'object' && view.channels !== null ? view.channels : {}) as Record<string, {configured?: unknown; accounts?: Record<string, AccountRow>}>
  const order = Array.isArray(view.channelOrder) ? (view.channelOrder as string[]) : Object.keys(channels)
  const labels = (typeof view.channelLabels === 'object' && view.channelLabels !== null ? view.channelLabels : {}) as Record<string, string>
  for (const channelId of order) {
    const channel = channels[channelId]
    if (channel === undefined || channel.configured === false) continue
    for (const [accountId, account] of Object.entries(channel.accounts ?? {})) {
      lines.push(`${labels[channelId] ?? channelId} ${accountId}: ${describeAccount(account, now)}`)
    }
  }
  return lines
}

/** One line per probed target. */
export function renderProbe(targets: ReadonlyArray<{kind: string; url: string; reachable: boolean; latencyMs: number | null; protocol: number | null; serverVersion: string | null; authOk: boolean | null; error: {message: string} | null}>): string[] {
  return targets.map((t) => {
    const head = `${t.kind} ${t.url}: `
    if (t.authOk === true) return `${head}reachable in ${t.latencyMs} ms, protocol ${t.protocol}, openclaw ${t.serverVersion}, auth ok`
    if (t.reachable) return `${head}reachable, ${t.authOk === false ? 'auth refused' : 'handshake failed'}: ${t.error?.message ?? 'unknown error'}`
    return `${head}not reachable: ${t.error?.message ?? 'unknown error'}`
  })
}

function describeAccount(account: AccountRow, now: number): string {
  if (typeof account.lastError === 'string' && account.lastError !== '') return `error: ${account.lastError}`
  const username = botUsername(account)
  let text = account.connected === true ? 'connected' : account.running === true ? 'running' : 'stopped'
  if (username !== undefined && account.connected === true) text += ` as @${username}`
  if (typeof account.lastInboundAt === 'number') text += `, last inbound ${formatDuration(Math.max(0, now - account.lastInboundAt))} ago`
  return text
}

function botUsername(account: AccountRow): string | undefined {
  if (typeof account.botUsername === 'string') return account.botUsername
  const probe = account.probe as {bot?: {username?: unknown}; username?: unknown} | undefined
  const name = probe?.bot?.username ?? probe?.username
  return typeof name === 'string' ? name : undefined
}

/** `45s`, `3m`, `2h 13m`, `4d 2h`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h ${m % 60}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}
