/**
 * Running chat commands without a model call (runtime.md §7). `/new`, `/reset`, `/status`, `/help`
 * and `/model` act on the session store here; `/stop` and `/approve` go through `RunControl`, which
 * the run loop implements (it owns runs, queues and pending approvals).
 */
import type {SessionInit, SessionStore} from '../sessions/store.js'
import {parseApproveArgs, type ChatCommand, type ChatCommandName} from './parse.js'
import {renderStatus, type StatusFacts} from './render-status.js'

/** What the run loop exposes to commands. */
export interface RunControl {
  /** Abort the session's active run and drop its queued messages (§8.9). */
  stop(sessionKey: string): Promise<{stopped: boolean; droppedQueued: number}>
  /** Resolve an exec approval (§8.8); `found: false` for an unknown or expired id. */
  approve(approvalId: string, decision: 'allow-once' | 'allow-always' | 'deny'): Promise<{found: boolean}>
  /** Run state of the session for /status. */
  state(sessionKey: string): StatusFacts['run']
}

/** The models a session may choose (primary, fallbacks, configured; 30 max) and a resolver. */
export interface ModelChoices {
  /** The agent's model when the session has no override. */
  agentModel: string | null
  list(): Array<{ref: string; alias?: string}>
  /** A ref for an alias, `provider/model` or `#n`, or null when unknown. */
  resolve(input: string): string | null
}

export interface ChatCommandContext {
  store: SessionStore
  sessionKey: string
  agentId: string
  /** Used to create the session when a command arrives first. */
  sessionInit: SessionInit
  models: ModelChoices
  run?: RunControl
  /** `describeResetPolicy` text and the next reset time (ms, null for none). */
  resetPolicy: {description: string; nextAt: (entry: {sessionStartedAt: number; lastInteractionAt: number}) => number | null}
  contextWindow?: number
  version: string
  now(): number
}

export interface ChatCommandResult {
  command: ChatCommandName
  reply: string
  /** Set by /new and /reset. */
  sessionId?: string
  previousSessionId?: string
  /** The rest of `/new [model] <text>`: run as the new session's first message. */
  followUp?: string
}

const HELP_LINES = [
  '/help — this list',
  '/status — agent, model, session, context and run state',
  '/new [model] [text] — start a new session (optionally with a model and a first message)',
  '/reset — start a new session, model kept',
  '/stop — abort the running reply and drop queued messages',
  '/model [ref|alias|#n|default] — show or set this session\'s model',
  '/approve <id> allow-once|allow-always|deny — answer an exec approval',
]

export async function executeChatCommand(command: ChatCommand, ctx: ChatCommandContext): Promise<ChatCommandResult> {
  switch (command.name) {
    case 'help':
      return {command: 'help', reply: HELP_LINES.join('\n')}
    case 'new':
    case 'reset':
      return resetSession(command, ctx)
    case 'stop': {
      const result = (await ctx.run?.stop(ctx.sessionKey)) ?? {stopped: false, droppedQueued: 0}
      if (!result.stopped && result.droppedQueued === 0) return {command: 'stop', reply: 'Nothing to stop.'}
      const dropped = result.droppedQueued > 0 ? ` ${result.droppedQueued} queued message${result.droppedQueued === 1 ? '' : 's'} dropped.` : ''
      return {command: 'stop', reply: `⏹️ Stopped.${dropped}`}
    }
    case 'approve':
      return approve(command.args, ctx)
    case 'model':
      return model(command.args, ctx)
    case 'status':
      return {command: 'status', reply: await status(ctx)}
  }
}

async function resetSession(command: ChatCommand, ctx: ChatCommandContext): Promise<ChatCommandResult> {
  let rest = command.args
  let chosen: string | null = null
  if (command.name === 'new' && rest !== '') {
    const [first, ...others] = rest.split(/\s+/)
    chosen = ctx.models.resolve(first)
    if (chosen !== null) rest = others.join(' ')
  }
  await ctx.run?.stop(ctx.sessionKey)
  await ctx.store.ensure(ctx.sessionKey, ctx.sessionInit)
  const result = await ctx.store.reset(ctx.sessionKey, {reason: command.name === 'new' ? 'new' : 'reset'})
  let entry = result.entry
  if (chosen !== null) entry = await ctx.store.patch(ctx.sessionKey, overrideFields(chosen))
  const current = entry.modelOverride ?? ctx.models.agentModel ?? 'none'
  return {
    command: command.name,
    reply: `✅ New session started · model: ${current}`,
    sessionId: result.sessionId,
    previousSessionId: result.previousSessionId,
    ...(rest.trim() === '' ? {} : {followUp: rest.trim()}),
  }
}

function overrideFields(ref: string) {
  const slash = ref.indexOf('/')
  return {modelOverride: ref, providerOverride: slash > 0 ? ref.slice(0, slash) : undefined, modelOverrideSource: 'user' as const}
}

async function approve(args: string, ctx: ChatCommandContext): Promise<ChatCommandResult> {
  const parsed = parseApproveArgs(args)
  if (parsed === null) return {command: 'approve', reply: 'Usage: /approve <id> allow-once|allow-always|deny'}
  const result = ctx.run === undefined ? {found: false} : await ctx.run.approve(parsed.id, parsed.decision)
  if (!result.found) return {command: 'approve', reply: `❌ No pending approval "${parsed.id}".`}
  return {command: 'approve', reply: parsed.decision === 'deny' ? '⛔ Denied.' : '✅ Approved.'}
}

async function model(args: string, ctx: ChatCommandContext): Promise<ChatCommandResult> {
  const entry = await ctx.store.get(ctx.sessionKey)
  const current = entry?.modelOverride ?? ctx.models.agentModel ?? 'none'
  if (args === '') {
    const list = ctx.models.list().slice(0, 30).map((m, i) => `${i + 1}. ${m.ref}${m.alias === undefined ? '' : ` (${m.alias})`}`)
    return {command: 'model', reply: [`Current model: ${current}`, ...list].join('\n')}
  }
  if (args.toLowerCase() === 'default') {
    if (entry !== undefined) await ctx.store.patch(ctx.sessionKey, {modelOverride: undefined, providerOverride: undefined, modelOverrideSource: undefined})
    return {command: 'model', reply: `✅ Model reset to ${ctx.models.agentModel ?? 'none'}.`}
  }
  const ref = ctx.models.resolve(args)
  if (ref === null) return {command: 'model', reply: `❌ Unknown model "${args}". Send /model to see the list.`}
  await ctx.store.ensure(ctx.sessionKey, ctx.sessionInit)
  await ctx.store.patch(ctx.sessionKey, overrideFields(ref))
  return {command: 'model', reply: `✅ Model set to ${ref}.`}
}

async function status(ctx: ChatCommandContext): Promise<string> {
  const entry = await ctx.store.get(ctx.sessionKey)
  let contextTokens = entry?.contextTokens
  if (entry !== undefined && contextTokens === undefined) {
    const context = await ctx.store.activeContext(ctx.sessionKey)
    contextTokens = Math.ceil(JSON.stringify(context.messages).length / 4)
  }
  return renderStatus({
    agentId: ctx.agentId,
    model: entry?.modelOverride ?? ctx.models.agentModel,
    sessionKey: ctx.sessionKey,
    entry,
    resetPolicy: ctx.resetPolicy.description,
    nextResetAt: entry === undefined ? null : ctx.resetPolicy.nextAt(entry),
    contextTokens: contextTokens ?? 0,
    contextWindow: ctx.contextWindow,
    run: ctx.run?.state(ctx.sessionKey) ?? {running: false, queued: 0},
    version: ctx.version,
    now: ctx.now(),
  })
}
