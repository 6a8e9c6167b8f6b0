import {describe, expect, it} from 'vitest'

import {executeChatCommand, type ChatCommandContext, type RunControl} from '../../../src/runtime/chat-commands/execute.js'
import {configModelChoices} from '../../../src/runtime/chat-commands/model-choices.js'
import {parseChatText} from '../../../src/runtime/chat-commands/parse.js'
import {validateConfigTree} from '../../../src/runtime/config/schema/validate.js'
import {createMemorySessionStore} from '../../../src/runtime/sessions/open-store.js'

const KEY = 'agent:main:main'
const {config} = validateConfigTree({agents: {defaults: {model: {primary: 'openai/gpt-5', fallbacks: ['anthropic/claude-sonnet']}, models: {'anthropic/claude-sonnet': {alias: 'sonnet'}}}}})

function context(run?: RunControl): ChatCommandContext {
  return {
    store: createMemorySessionStore({agentId: 'main', cwd: '/ws'}),
    sessionKey: KEY,
    agentId: 'main',
    sessionInit: {agentId: 'main', cwd: '/ws'},
    models: configModelChoices(config!, {model: 'openai/gpt-5', fallbacks: ['anthropic/claude-sonnet']}),
    run,
    resetPolicy: {description: 'daily at 04:00', nextAt: () => null},
    contextWindow: 128_000,
    version: '0.1.0',
    now: () => Date.now(),
  }
}

async function send(ctx: ChatCommandContext, text: string) {
  const parsed = parseChatText(text)
  if (parsed.kind !== 'command') throw new Error(`not a command: ${text}`)
  return executeChatCommand(parsed.command, ctx)
}

describe('executeChatCommand', () => {
  it('/new rotates the sessionId; the old transcript stays readable; model word and follow-up text', async () => {
    const ctx = context()
    const {entry} = await ctx.store.ensure(KEY, ctx.sessionInit)
    const result = await send(ctx, '/new sonnet what changed?')
    expect(result).toMatchObject({reply: '✅ New session started · model: anthropic/claude-sonnet', previousSessionId: entry.sessionId, followUp: 'what changed?'})
    expect(result.sessionId).not.toBe(entry.sessionId)
    expect(await ctx.store.get(KEY)).toMatchObject({sessionId: result.sessionId, modelOverride: 'anthropic/claude-sonnet', modelOverrideSource: 'user', resetReason: 'new'})
    expect((await ctx.store.readTranscript({sessionKey: KEY, sessionId: entry.sessionId})).header?.id).toBe(entry.sessionId)
  })

  it('/new with text only keeps it as the follow-up; /reset keeps the model override', async () => {
    const ctx = context()
    expect(await send(ctx, '/new hello')).toMatchObject({followUp: 'hello', reply: '✅ New session started · model: openai/gpt-5'})
    await send(ctx, '/model sonnet')
    expect((await send(ctx, '/reset')).reply).toBe('✅ New session started · model: anthropic/claude-sonnet')
  })

  it('/new and /reset stop the active run first', async () => {
    const calls: string[] = []
    const run: RunControl = {stop: async (key) => (calls.push(key), {stopped: true, droppedQueued: 0}), approve: async () => ({found: false}), state: () => ({running: false, queued: 0})}
    await send(context(run), '/reset')
    expect(calls).toEqual([KEY])
  })

  it('/model lists, sets by #n and alias, refuses unknown, resets to default', async () => {
    const ctx = context()
    expect((await send(ctx, '/model')).reply).toBe('Current model: openai/gpt-5\n1. openai/gpt-5\n2. anthropic/claude-sonnet (sonnet)')
    expect((await send(ctx, '/model #2')).reply).toBe('✅ Model set to anthropic/claude-sonnet.')
    expect((await send(ctx, '/model nope/x')).reply).toBe('❌ Unknown model "nope/x". Send /model to see the list.')
    expect((await send(ctx, '/model default')).reply).toBe('✅ Model reset to openai/gpt-5.')
    expect((await ctx.store.get(KEY))?.modelOverride).toBeUndefined()
  })

  it('/stop delegates to the run loop', async () => {
    expect((await send(context(), '/stop')).reply).toBe('Nothing to stop.')
    const run: RunControl = {stop: async () => ({stopped: true, droppedQueued: 2}), approve: async () => ({found: false}), state: () => ({running: true, queued: 2})}
    expect((await send(context(run), '/stop')).reply).toBe('⏹️ Stopped. 2 queued messages dropped.')
  })

  it('/approve delegates and reports the decision', async () => {
    const seen: unknown[] = []
    const run: RunControl = {stop: async () => ({stopped: false, droppedQueued: 0}), approve: async (id, decision) => (seen.push([id, decision]), {found: id === 'ab12'}), state: () => ({running: false, queued: 0})}
    expect((await send(context(run), '/approve ab12 allow-once')).reply).toBe('✅ Approved.')
    expect((await send(context(run), '/approve ab12 deny')).reply).toBe('⛔ Denied.')
    expect((await send(context(run), '/approve zz deny')).reply).toBe('❌ No pending approval "zz".')
    expect((await send(context(run), '/approve')).reply).toBe('Usage: /approve <id> allow-once|allow-always|deny')
    expect(seen).toEqual([['ab12', 'allow-once'], ['ab12', 'deny'], ['zz', 'deny']])
  })

  it('/status shows agent, model, session, previous session and run state', async () => {
    const ctx = context({stop: async () => ({stopped: false, droppedQueued: 0}), approve: async () => ({found: false}), state: () => ({running: true, runningSinceMs: Date.now() - 42_000, queued: 1})})
    const {entry} = await ctx.store.ensure(KEY, ctx.sessionInit)
    await send(ctx, '/reset')
    const reply = (await send(ctx, '/status')).reply
    expect(reply).toContain('Agent: main\nModel: openai/gpt-5\nSession: agent:main:main\n')
    expect(reply).toContain(`Previous session: ${entry.sessionId.slice(0, 8)} (ended by reset)`)
    expect(reply).toContain('Reset: daily at 04:00')
    expect(reply).toContain('/ 128k tokens')
    expect(reply).toMatch(/Run: running 4[12]s/)
    expect(reply).toContain('Queue: collect · 1 queued')
  })

  it('/help lists every command', async () => {
    expect((await send(context(), '/help')).reply.split('\n').map((l) => l.split(' ')[0])).toEqual(['/help', '/status', '/new', '/reset', '/stop', '/model', '/approve'])
  })
})
