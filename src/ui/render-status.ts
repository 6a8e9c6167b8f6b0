/** Human output of `openclaw status` (operations.md §8). */
import {tildify} from '../runtime/paths.js'
import type {StatusReport} from '../runtime/status/collect-status.js'
import {formatDuration} from './render-health.js'
import {renderLogLine} from './render-logs.js'
import {paint} from './style.js'

export interface StatusRenderOptions {
  /** Full paths, PIDs, config issues and every channel account's detail. */
  verbose: boolean
  home: string
  now?: number
}

const CHECK_MARK: Record<string, (s: string) => string> = {pass: paint.green, warn: paint.yellow, fail: paint.red, skip: paint.dim}

/**
 * ```
 * openclaw 0.4.0 (node v20.11.0, linux x64), profile default
 * Config: ~/.openclaw/openclaw.json (valid)
 * Gateway ws://127.0.0.1:18789 (local): reachable in 6 ms, openclaw 0.4.0, protocol 3
 * Agents: main (default), 12 sessions
 * ```
 */
export function renderStatus(report: StatusReport, options: StatusRenderOptions): string[] {
  const now = options.now ?? Date.now()
  const show = (p: string) => (options.verbose ? p : tildify(p, options.home))
  const lines = [
    `openclaw ${report.version} (node ${report.node}, ${report.os.platform} ${report.os.arch}${options.verbose ? ` ${report.os.release}` : ''}), profile ${report.profile}`,
    `State dir: ${show(report.paths.stateDir)}`,
    `Config: ${show(report.paths.configPath)} (${configState(report)})`,
  ]
  if (options.verbose) for (const issue of report.config.issues) lines.push(`  - ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`)
  lines.push(`Log file: ${show(report.paths.logFile)}`)
  lines.push(`Service: ${report.service.installed ? `${report.service.manager ?? 'installed'}${report.service.active === true ? ', active' : ''}` : 'not installed'}`)
  lines.push(gatewayLine(report, options.verbose))
  const agents = report.agents.list.map((a) => `${a.id}${a.id === report.agents.defaultId ? ' (default)' : ''}, ${a.sessions === null ? 'sessions unreadable' : plural(a.sessions, 'session')}`)
  lines.push(`Agents: ${agents.join('; ')}`)
  if (report.channels.length === 0) lines.push('Channels: none configured')
  for (const c of report.channels) lines.push(`Channel ${c.channel} ${c.accountId}: ${channelState(c)}`)
  const recent = report.sessions.recent.map((s) => `${s.key} (${formatDuration(Math.max(0, now - s.updatedAt))} ago)`)
  lines.push(`Sessions: ${report.sessions.count}${recent.length > 0 ? `; recent: ${recent.join(', ')}` : ''}`)
  if (report.checks !== undefined) {
    lines.push('Checks:')
    for (const check of report.checks) lines.push(`  ${(CHECK_MARK[check.status] ?? String)(check.status.padEnd(4))}  ${check.id}: ${check.message}`)
  }
  if (report.logTail !== undefined) {
    const tail = report.logTail
    lines.push(`Recent warnings and errors (${show(tail.file)}): ${tail.exists ? (tail.lines.length === 0 ? 'none' : '') : 'no log file yet'}`.trimEnd())
    for (const line of tail.lines) lines.push(`  ${renderLogLine(line, {utc: false, color: false})}`)
  }
  if (report.collection.notCollected.length > 0) lines.push(paint.dim(`Not collected: ${report.collection.notCollected.join('; ')}`))
  return lines
}

function configState(report: StatusReport): string {
  if (!report.config.exists) return 'not found; defaults apply'
  if (report.config.valid) return paint.green('valid')
  return paint.red(`invalid: ${plural(report.config.issues.length, 'issue')}; see: openclaw config validate`)
}

function gatewayLine(report: StatusReport, verbose: boolean): string {
  const g = report.gateway
  const head = `Gateway ${g.url ?? '(no target)'} (${g.mode})`
  const pid = verbose && g.pid !== undefined && g.pid !== null ? `, pid ${g.pid}` : ''
  if (g.reachable && g.error === null) {
    const parts = [`reachable in ${g.latencyMs ?? '?'} ms`, `openclaw ${g.version ?? '?'}`, `protocol ${g.protocol ?? '?'}`]
    if (g.ready === true && g.failing.length === 0) parts.push('ready')
    else if (g.ready === false || g.failing.length > 0) parts.push(`not ready${g.failing.length > 0 ? ` (failing: ${g.failing.join(', ')})` : ''}`)
    return `${head}: ${paint.green(parts[0])}, ${parts.slice(1).join(', ')}${pid}`
  }
  const state = g.reachable ? 'reachable but refused' : 'not reachable'
  return `${head}: ${paint.yellow(state)}${g.error === null ? '' : `: ${g.error.message}`}${pid}`
}

function channelState(c: StatusReport['channels'][number]): string {
  if (c.enabled === false) return 'disabled'
  if (!c.configured) return 'not configured (no bot token)'
  if (c.lastError !== null) return paint.red(`error: ${c.lastError}`)
  if (c.running === null) return 'configured (gateway not reachable)'
  return c.connected === true ? paint.green('connected') : c.running ? 'running' : paint.yellow('stopped')
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
