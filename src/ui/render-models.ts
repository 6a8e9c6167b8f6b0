/** Human output of `models list` and `models status` (operations.md §2.5, §10). */
import type {ModelListRow} from '../runtime/models/models-report.js'
import type {ModelStatusRow} from '../runtime/models/models-status.js'

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd())
}

function tokens(n: number): string {
  return n >= 1_000_000 ? `${Math.round(n / 100_000) / 10}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n)
}

export function renderModelsList(models: readonly ModelListRow[]): string[] {
  if (models.length === 0) return ['No models configured. Pick one: openclaw config set agents.defaults.model <provider/model> (see openclaw models list --all)']
  return table([
    ['MODEL', 'ALIAS', 'API', 'CONTEXT', 'INPUT', 'AUTH', 'TAGS'],
    ...models.map((m) => [m.ref, m.alias ?? '-', m.api, tokens(m.contextWindow), m.input.join('+'), m.auth, m.tags.join(',')]),
  ])
}

export function renderModelsStatus(status: {agentId: string; models: readonly ModelStatusRow[]}): string[] {
  if (status.models.length === 0) return [`Agent ${status.agentId}: no model configured.`]
  const lines = [`Agent ${status.agentId}:`]
  lines.push(...table([
    ['MODEL', 'ROLE', 'PROVIDER/API', 'AUTH', 'STATUS'],
    ...status.models.map((m) => [m.ref, m.role, `${m.provider}/${m.api}`, `${m.authSource}${m.expiresAt === undefined ? '' : ` (expires ${m.expiresAt})`}`, m.status]),
  ]).map((l) => `  ${l}`))
  for (const m of status.models) for (const p of m.problems) lines.push(`  ${m.status === 'fail' ? '✗' : '!'} ${m.ref}: ${p}`)
  return lines
}
