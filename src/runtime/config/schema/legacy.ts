import {isDeepStrictEqual} from 'node:util'

import {defaultAgentIndex, entriesToList, ensureRecord, mergeAgents, MigrationLog, place, take, type LegacyChange} from './legacy-ops.js'
import {isRecord, type Tree} from './tree-access.js'

export type {LegacyChange} from './legacy-ops.js'

/** The result of migrating legacy config keys (config.md §6.4, §13). */
export interface LegacyMigration {
  /** The migrated tree: the input itself when nothing was legacy (the input is never mutated). */
  tree: Record<string, unknown>
  /** Legacy key paths found, in the order met (`routing.bindings`, `agent.model`), each once. */
  legacyKeys: string[]
  /** What happened to each (doctor: `moved` is a safe fix, `conflict`/`dropped` are lossy). */
  changes: LegacyChange[]
}

/**
 * Migrates every config-key row of config.md §13 in memory. Pure: the input is cloned before
 * any change. When a destination already holds a different value, the destination wins and
 * the legacy key is reported as a conflict. Running it on its own output is a no-op.
 */
export function planLegacyMigration(input: Record<string, unknown>): LegacyMigration {
  const tree = structuredClone(input) as Tree
  const log = new MigrationLog()
  migrateRouting(tree, log)
  migrateAgentEntries(tree, log)
  migrateAgent(tree, log)
  migrateTopLevel(tree, log)
  migrateTelegramMention(tree, log)
  migrateBindings(tree, log)
  migrateSession(tree, log)
  if (log.changes.length === 0) return {tree: input, legacyKeys: [], changes: []}
  return {tree, legacyKeys: [...new Set(log.changes.map((c) => c.from))], changes: log.changes}
}

/** The loader's entry point: the migrated tree and the legacy key paths (for the one warning). */
export function migrateLegacyKeys(tree: Record<string, unknown>): {tree: Record<string, unknown>; legacyKeys: string[]} {
  const {tree: migrated, legacyKeys} = planLegacyMigration(tree)
  return {tree: migrated, legacyKeys}
}

/** The legacy key paths in an authored tree (empty when it is current). */
export function legacyKeysIn(tree: Record<string, unknown>): string[] {
  return planLegacyMigration(tree).legacyKeys
}

/** Top-level section → its legacy keys (`agents` → `[agents.entries]`), for the edit refusal of §6.4. */
export function legacyKeysBySection(legacyKeys: readonly string[]): Map<string, string[]> {
  const sections = new Map<string, string[]>()
  for (const key of legacyKeys) {
    const section = /^[^.[]+/.exec(key)?.[0] ?? key
    sections.set(section, [...(sections.get(section) ?? []), key])
  }
  return sections
}

/** `<section> uses legacy keys (a, b); rename them by hand first …`, or null when the section is clean. */
export function legacySectionRefusal(legacyKeys: readonly string[], section: string): string | null {
  const keys = legacyKeysBySection(legacyKeys).get(section)
  return keys === undefined ? null : `${section} uses legacy keys (${keys.join(', ')}); rename them by hand first (docs/errors.md, CONFIG_EDIT_REFUSED lists the current keys)`
}

function migrateRouting(tree: Tree, log: MigrationLog): void {
  const routing = tree.routing
  if (!isRecord(routing)) return
  if (routing.bindings !== undefined) place(tree, ['bindings'], take(routing, 'bindings'), 'routing.bindings', log)
  if (routing.queue !== undefined) place(tree, ['messages', 'queue'], take(routing, 'queue'), 'routing.queue', log, true)
  if (isRecord(routing.agents)) mergeAgents(tree, entriesToList(take(routing, 'agents') as Tree), 'routing.agents', log)
  if (typeof routing.defaultAgentId === 'string') markDefaultAgent(tree, take(routing, 'defaultAgentId') as string, log)
  const groupChat = routing.groupChat
  if (isRecord(groupChat)) {
    for (const key of ['historyLimit', 'mentionPatterns']) {
      if (groupChat[key] !== undefined) place(tree, ['messages', 'groupChat', key], take(groupChat, key), `routing.groupChat.${key}`, log)
    }
    if (groupChat.requireMention !== undefined) placeRequireMention(tree, take(groupChat, 'requireMention'), 'routing.groupChat.requireMention', log)
    if (Object.keys(groupChat).length === 0) delete routing.groupChat
  }
  // Keys with no destination stay, so validation reports `routing` as unsupported (a lossy doctor repair).
  if (Object.keys(routing).length === 0) delete tree.routing
}

/** `routing.defaultAgentId`: flag that entry `default: true` (adding it when absent). */
function markDefaultAgent(tree: Tree, id: string, log: MigrationLog): void {
  const from = 'routing.defaultAgentId'
  const list = isRecord(tree.agents) && Array.isArray(tree.agents.list) ? (tree.agents.list as unknown[]) : []
  const flagged = list.find((item) => isRecord(item) && item.default === true)
  if (isRecord(flagged)) return log.record(from, flagged.id === id ? 'moved' : 'conflict', 'agents.list')
  const entry = list.find((item) => isRecord(item) && item.id === id)
  if (isRecord(entry)) {
    entry.default = true
    return log.record(from, 'moved', 'agents.list')
  }
  if (list.length === 0 && id === 'main') return log.record(from, 'moved', 'agents.list')
  mergeAgents(tree, [{id, default: true}], from, log)
}

function migrateAgentEntries(tree: Tree, log: MigrationLog): void {
  const agents = tree.agents
  if (!isRecord(agents) || !isRecord(agents.entries)) return
  mergeAgents(tree, entriesToList(take(agents, 'entries') as Tree), 'agents.entries', log)
}

/** `agent.*` → `agents.defaults.*`, with the model, alias and tools rows converted. */
function migrateAgent(tree: Tree, log: MigrationLog): void {
  const agent = tree.agent
  if (!isRecord(agent)) return
  delete tree.agent
  const {model, modelFallbacks, modelAliases, allowedModels, tools, ...rest} = agent
  if (model !== undefined || modelFallbacks !== undefined) migrateModel(tree, model, modelFallbacks, log)
  if (modelAliases !== undefined) {
    if (isRecord(modelAliases)) {
      for (const [alias, ref] of Object.entries(modelAliases)) {
        if (typeof ref === 'string') place(tree, ['agents', 'defaults', 'models', ref, 'alias'], alias, 'agent.modelAliases', log)
        else log.record('agent.modelAliases', 'dropped')
      }
    } else log.record('agent.modelAliases', 'dropped')
  }
  if (allowedModels !== undefined) {
    const refs = Array.isArray(allowedModels) ? allowedModels.filter((ref): ref is string => typeof ref === 'string') : []
    for (const ref of refs) place(tree, ['agents', 'defaults', 'models', ref], {}, 'agent.allowedModels', log, true)
    if (refs.length === 0) log.record('agent.allowedModels', Array.isArray(allowedModels) ? 'moved' : 'dropped')
  }
  if (tools !== undefined) place(tree, ['tools'], tools, 'agent.tools', log, true)
  for (const [key, value] of Object.entries(rest)) place(tree, ['agents', 'defaults', key], value, `agent.${key}`, log, true)
}

/** `agent.model` (+ `agent.modelFallbacks`) → `agents.defaults.model {primary, fallbacks}`. */
function migrateModel(tree: Tree, model: unknown, fallbacks: unknown, log: MigrationLog): void {
  const dest = ['agents', 'defaults', 'model']
  const list = Array.isArray(fallbacks) ? fallbacks : []
  if (typeof model === 'string') place(tree, dest, {primary: model, fallbacks: list}, 'agent.model', log)
  else if (isRecord(model)) place(tree, dest, fallbacks === undefined || model.fallbacks !== undefined ? model : {...model, fallbacks: list}, 'agent.model', log)
  else if (model !== undefined) log.record('agent.model', 'dropped')
  if (fallbacks === undefined) return
  if (typeof model === 'string' || isRecord(model)) return log.record('agent.modelFallbacks', 'moved', dest.join('.'))
  // Fallbacks alone join an existing primary, else they have nothing to fall back from.
  const defaults = ensureRecord(tree, ['agents', 'defaults'])
  const current = defaults?.model
  if (defaults !== undefined && typeof current === 'string') {
    defaults.model = {primary: current, fallbacks: list}
    log.record('agent.modelFallbacks', 'moved', dest.join('.'))
  } else if (isRecord(current)) place(tree, [...dest, 'fallbacks'], list, 'agent.modelFallbacks', log)
  else log.record('agent.modelFallbacks', 'dropped')
}

/** Top-level `defaultModel` and `identity`. */
function migrateTopLevel(tree: Tree, log: MigrationLog): void {
  if (tree.defaultModel !== undefined) {
    const model = take(tree, 'defaultModel')
    if (typeof model === 'string') place(tree, ['agents', 'defaults', 'model'], {primary: model, fallbacks: []}, 'defaultModel', log)
    else log.record('defaultModel', 'dropped')
  }
  if (tree.identity !== undefined) {
    const identity = take(tree, 'identity')
    const index = defaultAgentIndex(tree)
    const agents = ensureRecord(tree, ['agents'])
    if (agents === undefined) return log.record('identity', 'conflict', 'agents.list')
    // No list yet: the implicit default agent becomes an explicit `main` entry.
    if (index === -1) agents.list = [{id: 'main'}]
    const entry = (agents.list as unknown[])[Math.max(index, 0)]
    const to = `agents.list[${Math.max(index, 0)}].identity`
    if (!isRecord(entry)) return log.record('identity', 'conflict', to)
    if (entry.identity === undefined) entry.identity = identity
    log.record('identity', isDeepStrictEqual(entry.identity, identity) ? 'moved' : 'conflict', to)
  }
}

/** `…requireMention` → `channels.telegram.groups."*".requireMention`, only when Telegram is configured. */
function placeRequireMention(tree: Tree, value: unknown, from: string, log: MigrationLog): void {
  const telegram = isRecord(tree.channels) ? tree.channels.telegram : undefined
  if (!isRecord(telegram)) return log.record(from, 'dropped')
  place(tree, ['channels', 'telegram', 'groups', '*', 'requireMention'], value, from, log)
}

function migrateTelegramMention(tree: Tree, log: MigrationLog): void {
  const telegram = isRecord(tree.channels) ? tree.channels.telegram : undefined
  if (!isRecord(telegram) || telegram.requireMention === undefined) return
  placeRequireMention(tree, take(telegram, 'requireMention'), 'channels.telegram.requireMention', log)
}

/** `bindings[].match.accountID` → `accountId`. */
function migrateBindings(tree: Tree, log: MigrationLog): void {
  if (!Array.isArray(tree.bindings)) return
  tree.bindings.forEach((binding, index) => {
    const match = isRecord(binding) ? binding.match : undefined
    if (!isRecord(match) || match.accountID === undefined) return
    const value = take(match, 'accountID')
    const from = `bindings[${index}].match.accountID`
    const to = `bindings[${index}].match.accountId`
    if (match.accountId === undefined) match.accountId = value
    log.record(from, match.accountId === value ? 'moved' : 'conflict', to)
  })
}

/** `session.idleMinutes` → `session.reset {mode: "idle", idleMinutes}`; `resetByType.dm` → `direct`. */
function migrateSession(tree: Tree, log: MigrationLog): void {
  const session = tree.session
  if (!isRecord(session)) return
  if (session.idleMinutes !== undefined) {
    place(tree, ['session', 'reset'], {mode: 'idle', idleMinutes: take(session, 'idleMinutes')}, 'session.idleMinutes', log)
  }
  const byType = session.resetByType
  if (isRecord(byType) && byType.dm !== undefined) place(tree, ['session', 'resetByType', 'direct'], take(byType, 'dm'), 'session.resetByType.dm', log)
}
