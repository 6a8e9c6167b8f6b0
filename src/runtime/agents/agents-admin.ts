/**
 * `openclaw agents …` (operations.md §2.2): list, add, delete, set-identity, bind, unbind. Config
 * changes go through the owned-write pipeline (locked, atomic, validated, .bak); files on disk
 * are created or moved aside, never deleted.
 */
import {existsSync, mkdirSync, readFileSync, renameSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../config/deep-merge.js'
import {runConfigEdit, type ConfigOpsContext} from '../config/edit/edit-pipeline.js'
import {AppError} from '../errors/app-error.js'
import {stateFiles} from '../paths.js'
import {archiveStamp} from '../sessions/archive-names.js'
import {loadValidConfig} from './load-agents-config.js'
import {resolveAgent, resolveAgents, unknownAgent} from './registry.js'
import {ensureAgentHome} from './workspace-bootstrap.js'

type Tree = Record<string, unknown>
type Binding = {agentId: string; comment?: string; match: {channel: string; accountId?: string; peer?: {kind: string; id: string}}}

const AGENT_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/

function agentsList(tree: Tree): Tree[] {
  if (!isPlainObject(tree.agents)) tree.agents = {}
  const agents = tree.agents as Tree
  if (!Array.isArray(agents.list)) agents.list = []
  return agents.list as Tree[]
}

function bindingsOf(tree: Tree): Binding[] {
  if (!Array.isArray(tree.bindings)) tree.bindings = []
  return tree.bindings as Binding[]
}

/** The implicit `main` written out, so adding an agent never changes who owns existing sessions. */
function materializeMain(list: Tree[]): void {
  if (list.length === 0) list.push({id: 'main', default: true})
}

function findAgent(list: Tree[], id: string): Tree {
  const entry = list.find((a) => a.id === id)
  if (entry === undefined) throw unknownAgent(id, list.map((a) => String(a.id)))
  return entry
}

export async function listAgentsReport(ctx: ConfigOpsContext, options: {bindings?: boolean} = {}) {
  const config = loadValidConfig(ctx)
  const agents = resolveAgents(config, ctx.paths).map((agent) => ({
    id: agent.id,
    name: agent.name,
    default: agent.isDefault,
    workspace: agent.workspace,
    agentDir: agent.agentDir,
    model: agent.model,
    identity: agent.identity,
    ...(options.bindings === true ? {bindings: config.bindings.filter((b) => b.agentId === agent.id).map((b) => ({...b.match, ...(b.comment === undefined ? {} : {comment: b.comment})}))} : {}),
  }))
  return {defaultAgentId: agents.find((a) => a.default)?.id ?? 'main', agents}
}

export interface AddAgentInput {
  id: string
  name?: string
  workspace?: string
  agentDir?: string
  model?: string
  default?: boolean
  /** `channel[:account]` */
  bind?: string[]
}

export async function addAgent(ctx: ConfigOpsContext, input: AddAgentInput) {
  if (!AGENT_ID_RE.test(input.id)) throw new AppError('AGENT_ID_INVALID', `"${input.id}" is not a valid agent id.`, {hint: ['Use lower-case letters, digits, _ and -, e.g.: openclaw agents add work']})
  const binds = (input.bind ?? []).map((spec) => parseBindSpec(input.id, spec))
  const previousDefault = input.default === true ? resolveAgent(loadValidConfig(ctx), ctx.paths) : null
  const edit = await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const list = agentsList(tree)
    // The implicit main counts as existing: materialize it first, then look.
    materializeMain(list)
    if (list.some((a) => a.id === input.id)) {
      throw new AppError('AGENT_EXISTS', `agent "${input.id}" already exists`, {hint: ['openclaw agents list', `openclaw agents set-identity ${input.id} --name <name>`]})
    }
    if (input.default === true) for (const agent of list) delete agent.default
    // The old default keeps its workspace: without an explicit one it would move to workspace-<id>.
    const oldDefault = previousDefault === null ? undefined : list.find((a) => a.id === previousDefault.id)
    if (oldDefault !== undefined && oldDefault.workspace === undefined) oldDefault.workspace = previousDefault!.workspace
    const entry: Tree = {id: input.id}
    if (input.default === true) entry.default = true
    for (const key of ['name', 'workspace', 'agentDir', 'model'] as const) if (input[key] !== undefined) entry[key] = input[key]
    // The old default keeps the default workspace, so a new default gets its own.
    if (oldDefault !== undefined && entry.workspace === undefined) entry.workspace = path.join(ctx.paths.stateDir, `workspace-${input.id}`)
    list.push(entry)
    bindingsOf(tree).push(...binds)
    return tree
  })
  const config = loadValidConfig(ctx)
  const agent = resolveAgent(config, ctx.paths, input.id)
  const created = ensureAgentHome(agent, {skipBootstrap: config.agents.defaults.skipBootstrap})
  return {agent: {id: agent.id, name: agent.name, default: agent.isDefault, workspace: agent.workspace, agentDir: agent.agentDir, sessionsDir: agent.sessionsDir, model: agent.model}, created, configPath: edit.configPath, warnings: edit.warnings}
}

export async function deleteAgent(ctx: ConfigOpsContext, input: {id: string; purge?: boolean; force?: boolean; now?: number}) {
  const before = resolveAgent(loadValidConfig(ctx), ctx.paths, input.id)
  let bindingsRemoved: Binding[] = []
  await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const list = agentsList(tree)
    findAgent(list, input.id)
    if (list.length === 1) throw new AppError('CONFIG_EDIT_REFUSED', `agent "${input.id}" is the last agent and cannot be deleted`, {hint: ['Add another agent first: openclaw agents add <id>']})
    if (before.isDefault && input.force !== true) throw new AppError('CONFIG_EDIT_REFUSED', `agent "${input.id}" is the default agent`, {hint: [`openclaw agents delete ${input.id} --force`]})
    ;(tree.agents as Tree).list = list.filter((a) => a.id !== input.id)
    const bindings = bindingsOf(tree)
    bindingsRemoved = bindings.filter((b) => b.agentId === input.id)
    tree.bindings = bindings.filter((b) => b.agentId !== input.id)
    return tree
  })
  let movedTo: string | null = null
  if (input.purge === true) {
    movedTo = path.join(stateFiles(ctx.paths.stateDir).backupsDir, `deleted-agent-${input.id}-${archiveStamp(input.now ?? Date.now())}`)
    mkdirSync(movedTo, {recursive: true, mode: 0o700})
    for (const [name, dir] of [['agent', before.agentDir], ['sessions', before.sessionsDir], ['workspace', before.workspace]] as const) {
      if (existsSync(dir)) renameSync(dir, path.join(movedTo, name))
    }
  }
  return {removed: input.id, bindingsRemoved: bindingsRemoved.map((b) => b.match), movedTo}
}

export interface IdentityInput {
  id: string
  name?: string
  emoji?: string
  theme?: string
  avatar?: string
  fromIdentity?: boolean
}

/** `Name:`, `Emoji:`, `Theme:`, `Avatar:` lines of IDENTITY.md (empty values are skipped). */
export function parseIdentityFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^\s*[-*]?\s*(name|emoji|theme|avatar)\s*:\s*(.+?)\s*$/i.exec(line)
    if (match !== null) out[match[1].toLowerCase()] = match[2]
  }
  return out
}

export async function setAgentIdentity(ctx: ConfigOpsContext, input: IdentityInput) {
  const agent = resolveAgent(loadValidConfig(ctx), ctx.paths, input.id)
  const identity: Record<string, string> = {}
  if (input.fromIdentity === true) {
    const file = path.join(agent.workspace, 'IDENTITY.md')
    if (!existsSync(file)) throw new AppError('USAGE', `${file} does not exist.`, {hint: [`openclaw agents set-identity ${input.id} --name <name>`]})
    Object.assign(identity, parseIdentityFile(readFileSync(file, 'utf8')))
  }
  for (const key of ['name', 'emoji', 'theme', 'avatar'] as const) if (input[key] !== undefined) identity[key] = input[key]
  if (Object.keys(identity).length === 0) throw new AppError('USAGE', 'Nothing to set: give --name, --emoji, --theme, --avatar or --from-identity.', {hint: [`openclaw agents set-identity ${input.id} --name Ada --emoji 🤖`]})
  let result: Record<string, unknown> = {}
  await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const list = agentsList(tree)
    materializeMain(list)
    const entry = findAgent(list, agent.id)
    entry.identity = {...(isPlainObject(entry.identity) ? entry.identity : {}), ...identity}
    result = entry.identity as Record<string, unknown>
    return tree
  })
  return {id: agent.id, identity: result}
}

/** `telegram`, `telegram:workbot`, `telegram:*`. */
function parseBindSpec(agentId: string, spec: string): Binding {
  const [channel, account] = spec.split(':', 2)
  if (channel === undefined || channel.trim() === '') throw new AppError('USAGE', `--bind "${spec}" is not channel[:account].`, {hint: [`openclaw agents add ${agentId} --bind telegram:default`]})
  return {agentId, match: {channel: channel.trim().toLowerCase(), ...(account === undefined || account === '' ? {} : {accountId: account.trim()})}}
}

function parsePeer(peer: string | undefined, agentId: string): Binding['match']['peer'] | undefined {
  if (peer === undefined) return undefined
  const at = peer.indexOf(':')
  const kind = peer.slice(0, at)
  if (at <= 0 || !['direct', 'group', 'channel'].includes(kind) || peer.slice(at + 1) === '') {
    throw new AppError('USAGE', `--peer "${peer}" is not <direct|group|channel>:<id>.`, {hint: [`openclaw agents bind ${agentId} --channel telegram --peer group:-1001234567890`]})
  }
  return {kind, id: peer.slice(at + 1)}
}

function sameMatch(a: Binding['match'], b: Binding['match']): boolean {
  return JSON.stringify([a.channel, a.accountId ?? null, a.peer?.kind ?? null, a.peer?.id ?? null]) === JSON.stringify([b.channel, b.accountId ?? null, b.peer?.kind ?? null, b.peer?.id ?? null])
}

export async function bindAgent(ctx: ConfigOpsContext, input: {id: string; channel: string; account?: string; peer?: string; comment?: string}) {
  const agent = resolveAgent(loadValidConfig(ctx), ctx.paths, input.id)
  const peer = parsePeer(input.peer, agent.id)
  const binding: Binding = {agentId: agent.id, ...(input.comment === undefined ? {} : {comment: input.comment}), match: {channel: input.channel.trim().toLowerCase(), ...(input.account === undefined ? {} : {accountId: input.account}), ...(peer === undefined ? {} : {peer})}}
  let index = -1
  const edit = await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const bindings = bindingsOf(tree)
    index = bindings.findIndex((b) => b.agentId === agent.id && isPlainObject(b.match) && sameMatch(b.match, binding.match))
    if (index >= 0) return current.topTree
    if (agent.implicit) materializeMain(agentsList(tree))
    bindings.push(binding)
    index = bindings.length - 1
    return tree
  })
  return {binding, index, changed: edit.changed}
}

export async function unbindAgent(ctx: ConfigOpsContext, input: {id: string; channel?: string; account?: string; peer?: string; all?: boolean}) {
  const agent = resolveAgent(loadValidConfig(ctx), ctx.paths, input.id)
  const peer = parsePeer(input.peer, agent.id)
  let removed = 0
  await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const bindings = bindingsOf(tree)
    const matches = (b: Binding) =>
      b.agentId === agent.id &&
      (input.all === true ||
        ((input.channel === undefined || b.match.channel === input.channel.toLowerCase()) &&
          (input.account === undefined || b.match.accountId === input.account) &&
          (peer === undefined || (b.match.peer?.kind === peer.kind && b.match.peer.id === peer.id))))
    const kept = bindings.filter((b) => !matches(b))
    removed = bindings.length - kept.length
    if (removed === 0) throw new AppError('BINDING_NOT_FOUND', `no binding of ${agent.id} matches`, {hint: ['openclaw agents list --bindings']})
    tree.bindings = kept
    return tree
  })
  return {removed}
}

/** `agents.update`: change name, workspace, model or identity of an agent (the implicit main is written out). */
export async function updateAgent(ctx: ConfigOpsContext, input: {id: string; name?: string; workspace?: string; model?: string; identity?: Record<string, string>}) {
  const agent = resolveAgent(loadValidConfig(ctx), ctx.paths, input.id)
  await runConfigEdit(ctx, 'patch', false, ({current}) => {
    const tree = structuredClone(current.topTree)
    const list = agentsList(tree)
    materializeMain(list)
    const entry = findAgent(list, agent.id)
    for (const key of ['name', 'workspace', 'model'] as const) if (input[key] !== undefined) entry[key] = input[key]
    if (input.identity !== undefined) entry.identity = {...(isPlainObject(entry.identity) ? entry.identity : {}), ...input.identity}
    return tree
  })
  return {agentId: agent.id}
}
