/**
 * The model/tool loop of one run (runtime.md §8.1 steps 2–5, §8.7): stream the current candidate
 * through `streamWithFailover`, append each complete assistant message, run its tool calls one
 * after another and append their results, until the model stops calling tools, the run is
 * aborted or times out, or 50 steps pass. Every tool call gets exactly one result line.
 */
import {AppError, isAppError} from '../../errors/app-error.js'
import type {ErrorCode} from '../../errors/codes.js'
import {chatErrorKind} from '../../models/classify.js'
import {modelErrorKind} from '../../models/model-error.js'
import {streamWithFailover, type FailoverClock} from '../../models/failover.js'
import type {KeyPools} from '../../models/key-pool.js'
import {ZERO_USAGE, type AssistantMessage, type StopReason, type ToolCallPart, type Usage, type UserMessage} from '../../models/messages.js'
import type {ModelProvider, ModelRequest, ResolvedModel, ToolDefinition} from '../../models/provider.js'
import type {ModelCandidate} from '../../models/resolve-model.js'
import type {MessageOrigin, SessionStore} from '../../sessions/store.js'
import type {RunEvents} from './run-events.js'
import type {CompactionSettings} from '../context/budget.js'
import {contextOverflowError, fitContext} from '../context/context-fit.js'

/** §8.1: the run stops after this many model steps. */
export const MAX_MODEL_STEPS = 50

/** What the run loop needs from the tool layer (models-tools' registry satisfies it through an adapter). */
export interface ToolRunner {
  definitions(): ToolDefinition[]
  run(call: ToolCallPart, signal: AbortSignal): Promise<{text: string; isError: boolean}>
}

export interface TurnContext {
  store: SessionStore
  sessionKey: string
  candidates: ModelCandidate[]
  pools: KeyPools
  system: string
  tools: ToolRunner | undefined
  events: RunEvents
  signal: AbortSignal
  now(): number
  clock?: FailoverClock
  providerFor?: (api: ResolvedModel['api']) => ModelProvider
  /** `steer` queue mode (§8.5): user lines that join the run at the next tool boundary. */
  steer?: () => Array<{message: UserMessage; origin: MessageOrigin}>
  /** Context budget and compaction (§8.6); without it the whole active context is sent as is. */
  compaction?: CompactionSettings
  /** Reasoning effort for this run (`agent --thinking`, session, agent default); models without reasoning ignore it. */
  thinkingLevel?: ModelRequest['thinkingLevel']
}

export interface RunError {
  message: string
  kind: string
  code?: ErrorCode
  hint?: string[]
}

export interface TurnResult {
  stopReason: StopReason
  /** The last assistant message written (its text is the final payload). */
  final: AssistantMessage | undefined
  usage: Usage
  provider: string
  model: string
  fallbackUsed: boolean
  /** Set when the run failed (model error, timeout, step limit); `code`/`hint` of the AppError that ended it. */
  error?: RunError
  aborted: boolean
  timedOut: boolean
}

/** The abort reason a run timeout uses (the loop tells it apart from `/stop`). */
export const TIMEOUT_REASON = 'run-timeout'

export async function runTurnLoop(ctx: TurnContext): Promise<TurnResult> {
  const primary = ctx.candidates[0].model
  const result: TurnResult = {stopReason: 'stop', final: undefined, usage: {...ZERO_USAGE}, provider: primary.provider, model: primary.model, fallbackUsed: false, aborted: false, timedOut: false}
  const tools = ctx.tools?.definitions() ?? []
  // A provider overflow error compacts and retries the same step once (§8.6).
  let overflowRetry = false
  for (let step = 1; step <= MAX_MODEL_STEPS; step++) {
    if (step > 1 && !overflowRetry) for (const line of ctx.steer?.() ?? []) await ctx.store.append(ctx.sessionKey, {type: 'message', ...line})
    let messages
    try {
      messages = ctx.compaction === undefined ? (await ctx.store.activeContext(ctx.sessionKey)).messages : await fitContext({...ctx, compaction: ctx.compaction}, tools, overflowRetry)
    } catch (error) {
      return failStep(ctx, result, '', error)
    }
    ctx.events.resetText()
    let partial = ''
    let message: AssistantMessage | undefined
    try {
      for await (const event of streamWithFailover({candidates: ctx.candidates, pools: ctx.pools, system: ctx.system, messages, tools, signal: ctx.signal, clock: ctx.clock, providerFor: ctx.providerFor, thinkingLevel: ctx.thinkingLevel})) {
        if (event.type === 'text') {
          partial += event.delta
          ctx.events.assistant(event.delta)
        } else if (event.type === 'reset') {
          partial = ''
          ctx.events.assistant('', true)
        } else if (event.type === 'fallback') {
          result.fallbackUsed = true
          await ctx.store.append(ctx.sessionKey, {type: 'custom', customType: 'openclaw.model_fallback', data: {from: event.from, to: event.to, reason: event.reason}})
          ctx.events.fallback({from: event.from, to: event.to, selected: primary.ref, reason: event.reason})
        } else if (event.type === 'done') {
          message = event.message
        }
      }
    } catch (error) {
      if (ctx.compaction !== undefined && !ctx.signal.aborted && modelErrorKind(error) === 'context_overflow') {
        if (overflowRetry) return failStep(ctx, result, partial, contextOverflowError({...ctx, compaction: ctx.compaction}))
        overflowRetry = true
        step--
        continue
      }
      return failStep(ctx, result, partial, error)
    }
    overflowRetry = false
    if (message === undefined) return failStep(ctx, result, partial, new Error('the model stream ended without a message'))
    addUsage(result.usage, message.usage)
    result.provider = message.provider
    result.model = message.model
    const calls = message.content.filter((part): part is ToolCallPart => part.type === 'toolCall')
    await ctx.store.append(ctx.sessionKey, {type: 'message', message}, {fsync: calls.length === 0})
    result.final = message
    result.stopReason = message.stopReason
    if (calls.length === 0) return result
    for (const call of calls) {
      if (ctx.signal.aborted) {
        await appendToolResult(ctx, call, {text: 'aborted', isError: true})
        continue
      }
      ctx.events.tool({phase: 'start', name: call.name, toolCallId: call.id, args: call.arguments})
      const outcome = ctx.tools === undefined || !tools.some((t) => t.name === call.name) ? {text: `tool "${call.name}" is not available`, isError: true} : await ctx.tools.run(call, ctx.signal)
      await appendToolResult(ctx, call, outcome)
      ctx.events.tool({phase: 'result', name: call.name, toolCallId: call.id, isError: outcome.isError, result: outcome.text.slice(0, 4000)})
    }
    if (ctx.signal.aborted) return failStep(ctx, result, '', ctx.signal.reason)
  }
  return failStep(ctx, result, '', new AppError('INTERNAL', `tool loop limit reached (${MAX_MODEL_STEPS} steps)`))
}

async function appendToolResult(ctx: TurnContext, call: ToolCallPart, outcome: {text: string; isError: boolean}): Promise<void> {
  await ctx.store.append(ctx.sessionKey, {type: 'message', message: {role: 'toolResult', toolCallId: call.id, toolName: call.name, content: [{type: 'text', text: outcome.text}], isError: outcome.isError, timestamp: ctx.now()}})
}

/** Writes the partial answer once with `aborted` or `error` and records why (§5.3, §8.9). */
async function failStep(ctx: TurnContext, result: TurnResult, partial: string, error: unknown): Promise<TurnResult> {
  const timedOut = ctx.signal.aborted && ctx.signal.reason === TIMEOUT_REASON
  const aborted = ctx.signal.aborted && !timedOut
  const message = timedOut ? 'run timed out' : aborted ? 'aborted' : error instanceof Error ? error.message : String(error)
  const stopReason: StopReason = aborted ? 'aborted' : 'error'
  const line: AssistantMessage = {
    role: 'assistant', content: partial === '' ? [] : [{type: 'text', text: partial}], api: ctx.candidates[0].model.api,
    provider: result.provider, model: result.model, usage: {...ZERO_USAGE}, stopReason,
    ...(aborted ? {} : {errorMessage: message}),
  }
  await ctx.store.append(ctx.sessionKey, {type: 'message', message: line}, {fsync: true})
  result.final = line
  result.stopReason = stopReason
  result.aborted = aborted
  result.timedOut = timedOut
  if (!aborted) {
    const cause = isAppError(error) ? error : undefined
    result.error = {message, kind: timedOut ? 'timeout' : chatErrorKind(modelErrorKind(error)), ...(timedOut ? {code: 'MODEL_TIMEOUT' as const} : cause === undefined ? {} : {code: cause.code, hint: cause.hint})}
  }
  return result
}

function addUsage(total: Usage, add: Usage): void {
  total.input += add.input
  total.output += add.output
  total.cacheRead += add.cacheRead
  total.cacheWrite += add.cacheWrite
  total.totalTokens += add.totalTokens
}
