import {tildify} from '../runtime/paths.js'
import type {OnboardResult} from '../runtime/onboard/run-onboard.js'

/** The wizard's final summary (operations.md §6.2 step 11). */
export function renderOnboard(r: OnboardResult, home: string): string[] {
  const lines = [`Config written: ${tildify(r.configPath, home)} (${r.flow}, ${r.mode})`]
  if (r.workspace !== null) lines.push(`Workspace: ${tildify(r.workspace, home)}`)
  if (r.model !== null) lines.push(`Default model: ${r.model}`)
  if (r.gateway !== null) lines.push(`Gateway: 127.0.0.1:${r.gateway.port}, bind ${r.gateway.bind}, auth ${r.gateway.authMode}`)
  if (r.telegram !== null) lines.push(`Telegram: ${r.telegram.botUsername === null ? 'token saved (not checked)' : `@${r.telegram.botUsername}`}`)
  if (r.service !== null) lines.push(`Service: ${r.service.installed ? `installed (${r.service.path})` : 'not installed'}`)
  if (r.dashboardUrl !== null) lines.push(`Dashboard: ${r.dashboardUrl}`)
  lines.push('Next:', ...r.next.map((c) => `  ${c}`))
  return lines
}
