import {tildify} from '../runtime/paths.js'
import type {StartResult} from '../runtime/service/control.js'
import type {GatewayStatusReport} from '../runtime/service/gateway-status.js'

/** `gateway start|restart` for humans. */
export function renderStartResult(result: StartResult): string[] {
  const verb = result.action === 'start' ? 'started' : 'restarted'
  const via = result.via === 'signal' ? ' (foreground gateway, SIGUSR1)' : ` via ${result.via}`
  const pid = result.pid === null ? '' : `, pid ${result.pid}`
  if (result.ready === null) return [`Gateway ${verb}${via}${pid}; not waited for readiness.`, 'Check it: openclaw gateway status']
  const lines = [`Gateway ${verb}${via}${pid}: ${result.ready ? 'ready' : 'degraded'}${result.readyMs === null ? '' : ` in ${result.readyMs} ms`}.`]
  if (result.failing.length > 0) lines.push(`Failing: ${result.failing.join(', ')}`)
  return lines
}

/** `gateway status` for humans (operations.md §4.7). */
export function renderGatewayStatus(report: GatewayStatusReport, home: string): string[] {
  const t = (p: string) => tildify(p, home)
  const s = report.service
  const lines: string[] = []
  if (!s.installed) lines.push(`Service:   not installed${s.managerRunning ? ` (${s.manager})` : s.manager === null ? ' (no service manager: systemd is not running here)' : ''}`)
  else {
    const kind = s.manager === 'systemd' ? `systemd ${s.scope} unit ${s.name}` : `launchd agent ${s.name}`
    const state = s.managerRunning ? `${s.enabled ? 'enabled' : 'disabled'}, ${s.active ? 'active' : 'inactive'} (${s.subState ?? 'unknown'})${s.pid === null ? '' : `, pid ${s.pid}`}${s.restarts === null ? '' : `, ${s.restarts} restarts`}${s.lastExitStatus ? `, last exit ${s.lastExitStatus}${s.lastExitStatus === 78 ? ' (config error)' : ''}` : ''}` : 'systemd is not running here'
    lines.push(`Service:   ${kind}: ${state}`)
    lines.push(`Unit file: ${t(s.path ?? '')} (${s.generatedByOpenclaw === false ? 'not written by openclaw' : s.drift.length === 0 ? 'up to date' : 'drift: ' + s.drift.join('; ')})`)
  }
  if (report.mismatch !== null) lines.push(`Mismatch:  ${report.mismatch}`)
  lines.push(`Config:    ${t(report.config.path)} (${!report.config.exists ? 'missing' : report.config.valid ? 'valid' : `${report.config.issues.length} issue(s): openclaw config validate`})`)
  lines.push(`Port:      ${report.port.port} (from ${report.port.source}): ${report.port.status}${report.port.ownerPid === null ? '' : `, pid ${report.port.ownerPid}`}`)
  const p = report.probe
  if (p !== null) lines.push(`Probe:     ${p.url} ${p.ok ? `ok in ${p.latencyMs} ms, openclaw ${p.serverVersion}, protocol ${p.protocol}${p.ready === null ? '' : p.ready ? ', ready' : `, not ready (${p.failing.join(', ')})`}` : `failed: ${p.error?.message ?? 'no answer'}`}`)
  lines.push(`Dashboard: ${report.dashboardUrl} (link with token: openclaw dashboard)`)
  const journal = s.manager === 'systemd' && s.installed ? `; journalctl ${s.scope === 'user' ? '--user ' : ''}-u ${s.name.replace(/\.service$/, '')} -f` : ''
  lines.push(`Logs:      ${t(report.logFile)}${journal}`)
  if (report.failed.length > 0 && p?.ok !== true) {
    lines.push('', 'Down because:', ...report.failed.map((f) => `  - ${f.view}: ${f.reason}`))
    lines.push(s.installed && s.managerRunning ? 'Start it: openclaw gateway start' : s.managerRunning ? 'Install it: openclaw gateway install (or run it here: openclaw gateway run)' : 'Run it here: openclaw gateway run')
  }
  return lines
}
