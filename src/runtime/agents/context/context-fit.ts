/**
 * Fits a run's next request into the model's context window (runtime.md §8.6): stage 1 trims the
 * request, stage 2 compacts the transcript by a summary from the same model (a `compaction` line,
 * `compactionCount` bumped, `compaction` events), then the oldest tool results are cut; failing
 * all that the run errors with the §8.6 text. The transcript is only ever appended to.
 */
import {AppError} from '../../errors/app-error.js'
import {streamWithFailover, type FailoverClock} from '../../models/failover.js'
import type {KeyPools} from '../../models/key-pool.js'
import type {ConversationMessage} from '../../models/messages.js'
import {modelError, modelErrorDetails} from '../../models/model-error.js'
import type {ModelProvider, ResolvedModel, ToolDefinition} from '../../models/provider.js'
import type {ModelCandidate} from '../../models/resolve-model.js'
import {SUMMARY_PREFIX} from '../../sessions/active-context.js'
import type {ActiveContext, SessionStore} from '../../sessions/store.js'
import {contextBudget, type CompactionSettings, type ContextBudget} from './budget.js'
import {findCutPoint} from './cut-point.js'
import {CHARS_PER_TOKEN, correctionRatio, fixedChars, ratioFromHistory, requestTokens} from './estimate.js'
import {cutToolResults, trimHistory} from './history-trim.js'
import {SUMMARY_MAX_TOKENS, SUMMARY_SYSTEM_PROMPT, summaryRequestMessage} from './summary-request.js'

export const NO_LONGER_FITS = "⚠️ This conversation no longer fits the model's context, even after summarizing. Send /new to start a fresh session."
export const NO_FIT_COMPACTION_OFF = "⚠️ This conversation no longer fits the model's context and compaction is off (agents.defaults.compaction.enabled). Send /new to start a fresh session."

/** What fitting needs from the run (a subset of the turn context). */
export interface FitContext {
  store: SessionStore
  sessionKey: string
  candidates: ModelCandidate[]
  pools: KeyPools
  system: string
  events: {compaction(data: {phase: 'start' | 'end'; tokensBefore?: number; tokensAfter?: number}): void}
  signal: AbortSignal
  now(): number
  clock?: FailoverClock
  providerFor?: (api: ResolvedModel['api']) => ModelProvider
  compaction: CompactionSettings
}

/**
 * The messages of the next request. `afterOverflow`: the provider just rejected the previous
 * attempt as too long, so the estimate is raised to at least the window and stage 2 runs regardless.
 */
export async function fitContext(ctx: FitContext, tools: readonly ToolDefinition[], afterOverflow = false): Promise<ConversationMessage[]> {
  const model = ctx.candidates[0].model
  const budget = contextBudget(model, ctx.compaction)
  const fixed = fixedChars(ctx.system, tools)
  let active = await ctx.store.activeContext(ctx.sessionKey)
  let ratio = ratioFromHistory(active.messages, fixed, trimHistory)
  let messages = trimHistory(active.messages)
  if (afterOverflow) ratio = Math.max(ratio, correctionRatio(budget.contextWindow + 1, requestTokens(messages, fixed)))
  const fits = (candidate: ConversationMessage[]) => requestTokens(candidate, fixed, ratio) <= budget.budget
  if (!afterOverflow && fits(messages)) return messages
  if (!ctx.compaction.enabled) {
    // Our estimate is conservative: without compaction the provider has the last word.
    if (!afterOverflow) return messages
    throw noFit(ctx, NO_FIT_COMPACTION_OFF)
  }
  if (await compact(ctx, active, {budget, fixed, ratio})) {
    active = await ctx.store.activeContext(ctx.sessionKey)
    messages = trimHistory(active.messages)
  }
  const cut = cutToolResults(messages, fits)
  if (!cut.fits) throw noFit(ctx, NO_LONGER_FITS)
  return cut.messages
}

/** Stage 2; false when there is nothing older than the kept tail to summarize. */
async function compact(ctx: FitContext, active: ActiveContext, sizes: {budget: ContextBudget; fixed: number; ratio: number}): Promise<boolean> {
  const ids = active.entryIds ?? []
  const cut = findCutPoint(active.messages, ids, sizes.budget.keepRecent, sizes.ratio)
  if (cut === null) return false
  const hasSummary = active.compaction !== undefined && ids[0] === null && firstText(active.messages[0]).startsWith(SUMMARY_PREFIX)
  const older = active.messages.slice(hasSummary ? 1 : 0, cut.index)
  if (older.length === 0) return false
  const tokensBefore = requestTokens(trimHistory(active.messages), sizes.fixed, sizes.ratio)
  ctx.events.compaction({phase: 'start', tokensBefore})
  let summary: string
  try {
    summary = await summarize(ctx, {previousSummary: hasSummary ? active.compaction?.summary : undefined, older, ratio: sizes.ratio})
  } catch (error) {
    ctx.events.compaction({phase: 'end', tokensBefore})
    throw summaryFailed(error)
  }
  const summaryMessage: ConversationMessage = {role: 'user', content: [{type: 'text', text: `${SUMMARY_PREFIX}\n${summary}`}], timestamp: ctx.now()}
  const tokensAfter = requestTokens(trimHistory([summaryMessage, ...active.messages.slice(cut.index)]), sizes.fixed, sizes.ratio)
  await ctx.store.append(ctx.sessionKey, {type: 'compaction', summary, firstKeptEntryId: cut.entryId, tokensBefore, tokensAfter})
  const entry = await ctx.store.get(ctx.sessionKey)
  await ctx.store.patch(ctx.sessionKey, {compactionCount: (entry?.compactionCount ?? 0) + 1, contextTokens: tokensAfter})
  ctx.events.compaction({phase: 'end', tokensBefore, tokensAfter})
  return true
}

/** Asks the run's model (its own key pool, retries and failover) for the summary; ≤ 4096 output tokens. */
async function summarize(ctx: FitContext, input: {previousSummary?: string; older: ConversationMessage[]; ratio: number}): Promise<string> {
  const candidates = ctx.candidates.map((candidate) => ({...candidate, model: {...candidate.model, maxTokens: Math.min(candidate.model.maxTokens, SUMMARY_MAX_TOKENS)}}))
  const primary = candidates[0].model
  // Room for the summary input: the window less the summary's own output and prompt, at the corrected ratio.
  const maxChars = Math.floor(((primary.contextWindow - primary.maxTokens) * CHARS_PER_TOKEN * 0.9) / input.ratio) - SUMMARY_SYSTEM_PROMPT.length
  const request = summaryRequestMessage({previousSummary: input.previousSummary, older: input.older, maxChars, now: ctx.now()})
  let text = ''
  for await (const event of streamWithFailover({candidates, pools: ctx.pools, system: SUMMARY_SYSTEM_PROMPT, messages: [request], tools: [], signal: ctx.signal, clock: ctx.clock, providerFor: ctx.providerFor})) {
    if (event.type === 'reset') text = ''
    else if (event.type === 'done') text = event.message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
  }
  if (text.trim() === '') throw new Error('the model returned an empty summary')
  return text.trim()
}

function firstText(message: ConversationMessage | undefined): string {
  const part = message?.content[0]
  return part?.type === 'text' ? part.text : ''
}

/** The error of a run whose request does not fit even after everything §8.6 allows. */
export function contextOverflowError(ctx: Pick<FitContext, 'candidates' | 'sessionKey' | 'compaction'>): AppError {
  return noFit(ctx, ctx.compaction.enabled ? NO_LONGER_FITS : NO_FIT_COMPACTION_OFF)
}

function noFit(ctx: Pick<FitContext, 'candidates' | 'sessionKey'>, message: string): AppError {
  const {provider, model} = ctx.candidates[0].model
  return modelError(message, {kind: 'context_overflow', provider, model}, {hint: [`Send /new in the conversation, or: openclaw sessions reset ${ctx.sessionKey}`]})
}

function summaryFailed(error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error)
  if (error instanceof AppError) return new AppError(error.code, `Summarizing the earlier conversation failed: ${reason}`, {hint: error.hint, details: {...modelErrorDetails(error)}, cause: error})
  return new AppError('MODEL_REQUEST_FAILED', `Summarizing the earlier conversation failed: ${reason}`, {details: {kind: 'server'}, cause: error})
}
