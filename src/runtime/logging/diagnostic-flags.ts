import {envValue, type Env} from '../paths.js'
import type {DiagnosticsSettings} from './settings.js'

/**
 * The active diagnostics flags: `diagnostics.flags` plus the comma list in OPENCLAW_DIAGNOSTICS
 * (config.md §3.2), lower-cased; none when `diagnostics.enabled` is false.
 */
export function diagnosticFlags(diagnostics: DiagnosticsSettings | undefined, env: Env): string[] {
  if (diagnostics?.enabled === false) return []
  const fromEnv = envValue(env, 'OPENCLAW_DIAGNOSTICS')?.split(',') ?? []
  const flags = [...(diagnostics?.flags ?? []), ...fromEnv].map((f) => f.trim().toLowerCase()).filter((f) => f !== '')
  return [...new Set(flags)]
}

/** Subsystems are written `gateway/ws`, flags `gateway.ws`; both compare in the dotted form. */
function normalize(name: string): string {
  return name.trim().toLowerCase().replaceAll('/', '.')
}

function flagMatches(flag: string, subsystem: string): boolean {
  const f = normalize(flag)
  if (f === '*') return true
  if (!f.includes('*')) return subsystem === f || subsystem.startsWith(f + '.')
  if (f.endsWith('.*') && subsystem === f.slice(0, -2)) return true
  const source = f.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${source}$`).test(subsystem)
}

/**
 * True when a diagnostics flag covers `subsystem`: `*` covers all; `telegram.*` covers `telegram`
 * and everything under it; a plain name covers itself and its children (`gateway` covers
 * `gateway/ws`); `*` inside a name matches any run of characters.
 */
export function matchesDiagnosticFlag(subsystem: string, flags: readonly string[]): boolean {
  if (flags.length === 0) return false
  const name = normalize(subsystem)
  return flags.some((flag) => flagMatches(flag, name))
}
