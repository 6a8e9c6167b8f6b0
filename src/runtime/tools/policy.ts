import type {Config} from '../config/schema/index.js'
import type {ToolGroup} from './tool.js'

/** Every built-in tool and its group (runtime.md §8.7). */
export const BUILTIN_TOOLS: Readonly<Record<string, ToolGroup>> = Object.freeze({
  exec: 'runtime', read: 'fs', write: 'fs', edit: 'fs', ls: 'fs', web_fetch: 'web',
  sessions_list: 'sessions', sessions_send: 'sessions', message: 'messaging',
})

const PROFILES: Record<string, ToolGroup[] | 'all'> = {minimal: [], coding: ['fs', 'runtime', 'web', 'sessions'], messaging: ['messaging', 'sessions'], full: 'all'}

export interface PolicyInput {
  tools: Readonly<Config['tools']>
  provider?: string
  /** `provider/model`. */
  modelRef?: string
  /** `agents.list[].tools` of the running agent. */
  agentTools?: {allow?: readonly string[]; deny?: readonly string[]}
  /** The session is sandboxed (`sandbox.mode`): exec, write and edit are removed (fail closed). */
  sandboxed?: boolean
  /** `OPENCLAW_OFFLINE=1`: web_fetch is not offered. */
  offline?: boolean
  /** Names the run loop can serve (default: every built-in). */
  available?: readonly string[]
}

export interface PolicyResult {
  /** Tools offered to the model, in built-in order. */
  allowed: string[]
  /** Allow entries that match nothing (a load warning each). */
  warnings: string[]
}

/** Expands one policy entry (name, `*` wildcard, `group:<name>`) against the known names; case-insensitive. */
export function matchEntry(entry: string, names: readonly string[]): string[] {
  const e = entry.trim().toLowerCase()
  if (e.startsWith('group:')) {
    const group = e.slice('group:'.length)
    if (group === 'openclaw') return [...names]
    return names.filter((n) => BUILTIN_TOOLS[n] === group)
  }
  if (e.includes('*')) {
    const re = new RegExp(`^${e.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
    return names.filter((n) => re.test(n))
  }
  return names.filter((n) => n === e)
}

function expand(entries: readonly string[] | undefined, names: readonly string[]): Set<string> {
  return new Set((entries ?? []).flatMap((e) => matchEntry(e, names)))
}

function profileSet(profile: string | undefined, names: readonly string[]): Set<string> {
  const groups = profile === undefined ? 'all' : PROFILES[profile]
  return new Set(groups === 'all' ? names : names.filter((n) => groups.includes(BUILTIN_TOOLS[n])))
}

/**
 * The tool policy of runtime.md §8.7, pure: profile, then `allow` (keep only matches when
 * non-empty), `alsoAllow`, `deny`; then `byProvider[provider]` and `[provider/model]`, then the
 * agent's own allow/deny, which only narrow. Deny always wins.
 */
export function resolveToolPolicy(input: PolicyInput): PolicyResult {
  const names = (input.available ?? Object.keys(BUILTIN_TOOLS)).map((n) => n.toLowerCase())
  const warnings: string[] = []
  const {tools} = input
  let set = profileSet(tools.profile, names)
  if (tools.allow.length > 0) {
    for (const entry of tools.allow) if (matchEntry(entry, names).length === 0) warnings.push(`tools.allow entry "${entry}" matches no tool`)
    const allow = expand(tools.allow, names)
    set = new Set([...set].filter((n) => allow.has(n)))
  }
  for (const n of expand(tools.alsoAllow, names)) set.add(n)
  const denied = expand(tools.deny, names)
  for (const key of [input.provider, input.modelRef]) {
    if (key === undefined) continue
    const scoped = tools.byProvider[key] ?? tools.byProvider[key.toLowerCase()]
    if (scoped === undefined) continue
    if (scoped.profile !== undefined) {
      const profiled = profileSet(scoped.profile, names)
      set = new Set([...set].filter((n) => profiled.has(n)))
    }
    if (scoped.allow !== undefined && scoped.allow.length > 0) {
      const allow = expand(scoped.allow, names)
      set = new Set([...set].filter((n) => allow.has(n)))
    }
    for (const n of expand(scoped.deny, names)) denied.add(n)
  }
  if (input.agentTools?.allow !== undefined && input.agentTools.allow.length > 0) {
    const allow = expand(input.agentTools.allow, names)
    set = new Set([...set].filter((n) => allow.has(n)))
  }
  for (const n of expand(input.agentTools?.deny, names)) denied.add(n)
  if (input.sandboxed === true) for (const n of ['exec', 'write', 'edit']) denied.add(n)
  if (input.offline === true || !tools.web.fetch.enabled) denied.add('web_fetch')
  return {allowed: names.filter((n) => set.has(n) && !denied.has(n)), warnings}
}
