import type {ConfigIssue, PathSegment} from '../issues.js'
import {BIND_MODES} from './gateway.js'
import {BUILTIN_PROVIDER_IDS} from './models.js'
import {ENV_NAME_PATTERN} from './primitives.js'
import {telegramIssues} from './rules-telegram.js'
import {arrayAt, configIssue, isRecord, recordAt, regexIssues, valueAt} from './tree-access.js'

/**
 * Cross-field rules (config.md §6.2 and the rules the runtime and Telegram specs add). They read
 * the unvalidated tree defensively, so they report alongside schema issues in one pass.
 */
export function crossFieldIssues(tree: unknown): ConfigIssue[] {
  if (!isRecord(tree)) return []
  return [
    ...gatewayIssues(tree),
    ...agentIssues(tree),
    ...bindingIssues(tree),
    ...hooksIssues(tree),
    ...envIssues(tree),
    ...providerIssues(tree),
    ...modelRefIssues(tree),
    ...identityLinkIssues(tree),
    ...timeZoneIssues(tree),
    ...regexIssues(tree, ['logging', 'redactPatterns'], 'g'),
    ...regexIssues(tree, ['messages', 'groupChat', 'mentionPatterns'], 'iu'),
    ...telegramIssues(tree),
  ]
}

function gatewayIssues(tree: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const gateway = recordAt(tree, ['gateway'])
  const bind = gateway.bind ?? 'loopback'
  const host = gateway.customBindHost
  if (bind === 'custom' && host === undefined) issues.push(configIssue(['gateway', 'customBindHost'], 'required when gateway.bind is "custom"'))
  if (bind !== 'custom' && host !== undefined && (BIND_MODES as readonly unknown[]).includes(bind)) {
    issues.push(configIssue(['gateway', 'customBindHost'], `only allowed when gateway.bind is "custom" (bind is "${String(bind)}")`))
  }
  const auth = recordAt(gateway, ['auth'])
  if (auth.token !== undefined && auth.password !== undefined && auth.mode === undefined) {
    issues.push(configIssue(['gateway', 'auth', 'mode'], 'required when both gateway.auth.token and gateway.auth.password are set'))
  }
  return issues
}

/** Ids in `agents.list` (valid strings only); `main` alone when the list is empty. */
function agentIds(tree: unknown): string[] {
  const list = arrayAt(tree, ['agents', 'list'])
  if (list.length === 0) return ['main']
  return [...new Set(list.map((entry) => (isRecord(entry) ? entry.id : undefined)).filter((id): id is string => typeof id === 'string'))]
}

function agentIssues(tree: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const seen = new Map<string, number>()
  let firstDefault: number | undefined
  arrayAt(tree, ['agents', 'list']).forEach((entry, index) => {
    if (!isRecord(entry)) return
    if (typeof entry.id === 'string') {
      const previous = seen.get(entry.id)
      if (previous === undefined) seen.set(entry.id, index)
      else issues.push(configIssue(['agents', 'list', index, 'id'], `duplicate agent id "${entry.id}" (also agents.list[${previous}])`))
    }
    if (entry.default === true) {
      if (firstDefault === undefined) firstDefault = index
      else issues.push(configIssue(['agents', 'list', index, 'default'], `only one agent may have default: true (agents.list[${firstDefault}] already does)`))
    }
    issues.push(...regexIssues(tree, ['agents', 'list', index, 'groupChat', 'mentionPatterns'], 'iu'))
  })
  return issues
}

function bindingIssues(tree: unknown): ConfigIssue[] {
  const ids = agentIds(tree)
  const issues: ConfigIssue[] = []
  arrayAt(tree, ['bindings']).forEach((binding, index) => {
    const agentId = isRecord(binding) ? binding.agentId : undefined
    if (typeof agentId !== 'string' || ids.includes(agentId)) return
    const known = arrayAt(tree, ['agents', 'list']).length === 0 ? 'agents.list is empty, so only "main" exists' : `agents.list has: ${ids.join(', ')}`
    issues.push(configIssue(['bindings', index, 'agentId'], `unknown agent "${agentId}" (${known})`))
  })
  return issues
}

function hooksIssues(tree: unknown): ConfigIssue[] {
  const hooks = recordAt(tree, ['hooks'])
  return hooks.enabled === true && hooks.token === undefined ? [configIssue(['hooks', 'token'], 'required when hooks.enabled is true')] : []
}

/** `env` sugar keys and `env.vars` names must be variable names (config.md §7.7). */
function envIssues(tree: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const name of Object.keys(recordAt(tree, ['env']))) {
    if (name === 'vars' || name === 'shellEnv' || ENV_NAME_PATTERN.test(name)) continue
    issues.push(configIssue(['env', name], 'invalid environment variable name (expected [A-Za-z_][A-Za-z0-9_]*)'))
  }
  return issues
}

/** `baseUrl` is required unless the id is a built-in preset that the entry overrides (runtime.md §8.3). */
function providerIssues(tree: unknown): ConfigIssue[] {
  const models = recordAt(tree, ['models'])
  const presets = models.mode === 'replace' ? [] : (BUILTIN_PROVIDER_IDS as readonly string[])
  const issues: ConfigIssue[] = []
  for (const [id, provider] of Object.entries(recordAt(models, ['providers']))) {
    if (!isRecord(provider) || provider.baseUrl !== undefined || presets.includes(id)) continue
    const why = models.mode === 'replace' && (BUILTIN_PROVIDER_IDS as readonly string[]).includes(id) ? 'models.mode is "replace"' : `"${id}" is not a built-in provider`
    issues.push(configIssue(['models', 'providers', id, 'baseUrl'], `required (${why})`))
  }
  return issues
}

/** A model ref without `/` must be an alias from `agents.defaults.models` (runtime.md §8.3). */
function modelRefIssues(tree: unknown): ConfigIssue[] {
  const aliases = new Set<string>()
  for (const entry of Object.values(recordAt(tree, ['agents', 'defaults', 'models']))) {
    if (isRecord(entry) && typeof entry.alias === 'string') aliases.add(entry.alias)
  }
  const issues: ConfigIssue[] = []
  const check = (path: PathSegment[]) => {
    const ref = valueAt(tree, path)
    if (typeof ref === 'string' && ref !== '' && !ref.includes('/') && !aliases.has(ref)) {
      issues.push(configIssue(path, `"${ref}" is neither provider/model nor an alias defined in agents.defaults.models`))
    }
  }
  const selection = (base: PathSegment[]) => {
    const value = valueAt(tree, base)
    if (typeof value === 'string') return check(base)
    check([...base, 'primary'])
    arrayAt(tree, [...base, 'fallbacks']).forEach((_, i) => check([...base, 'fallbacks', i]))
  }
  selection(['agents', 'defaults', 'model'])
  arrayAt(tree, ['agents', 'list']).forEach((_, i) => selection(['agents', 'list', i, 'model']))
  return issues
}

/** One peer under two canonical names is ambiguous (runtime.md §4). */
function identityLinkIssues(tree: unknown): ConfigIssue[] {
  const owner = new Map<string, string>()
  const issues: ConfigIssue[] = []
  for (const [name, peers] of Object.entries(recordAt(tree, ['session', 'identityLinks']))) {
    if (!Array.isArray(peers)) continue
    peers.forEach((peer, index) => {
      if (typeof peer !== 'string') return
      const key = peer.trim().toLowerCase()
      const first = owner.get(key)
      if (first === undefined) owner.set(key, name)
      else if (first !== name) issues.push(configIssue(['session', 'identityLinks', name, index], `"${peer}" is already linked to "${first}"`))
    })
  }
  return issues
}

function timeZoneIssues(tree: unknown): ConfigIssue[] {
  const paths: PathSegment[][] = [
    ['agents', 'defaults', 'userTimezone'],
    ['agents', 'defaults', 'heartbeat', 'activeHours', 'timezone'],
    ...arrayAt(tree, ['agents', 'list']).map((_, i): PathSegment[] => ['agents', 'list', i, 'heartbeat', 'activeHours', 'timezone']),
  ]
  const issues: ConfigIssue[] = []
  let canonical: Set<string> | undefined
  for (const path of paths) {
    const zone = valueAt(tree, path)
    if (typeof zone !== 'string' || zone === '') continue
    // The canonical list costs ~1 ms; a DateTimeFormat with a zone costs ~12 ms (ICU load) and
    // is only needed for aliases (UTC, Asia/Calcutta) and typos.
    canonical ??= new Set(Intl.supportedValuesOf('timeZone'))
    if (canonical.has(zone) || zone === 'UTC') continue
    try {
      new Intl.DateTimeFormat('en-US', {timeZone: zone})
    } catch {
      issues.push(configIssue(path, `unknown time zone "${zone}" (expected an IANA zone like Europe/Berlin)`))
    }
  }
  return issues
}
