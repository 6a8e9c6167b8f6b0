import {AppError} from '../errors/app-error.js'
import {backoffDelayMs, chatErrorKind, classify, MAX_RETRY_AFTER_MS} from './classify.js'
import {maskKey} from './key-sources.js'
import type {KeyPools} from './key-pool.js'
import type {ConversationMessage} from './messages.js'
import {modelError, modelErrorDetails, modelErrorKind} from './model-error.js'
import type {ModelErrorKind, ModelProvider, ModelRequest, ModelStreamEvent, ResolvedModel, ToolDefinition} from './provider.js'
import {providerFor} from './providers.js'
import type {ModelCandidate} from './resolve-model.js'

/** Injected time so backoff and cool-down tests run on a fake clock. */
export interface FailoverClock {
  now(): number
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /** Uniform in [0, 1). */
  random(): number
}

export const systemClock: FailoverClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason)
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, {once: true})
    }),
}

export interface FailoverRequest {
  /** Primary first, then fallbacks (`resolveRunModels`). */
  candidates: ModelCandidate[]
  /** Key state shared across runs (held by the gateway runtime or one CLI run). */
  pools: KeyPools
  system: string
  messages: ConversationMessage[]
  tools: ToolDefinition[]
  signal: AbortSignal
  thinkingLevel?: ModelRequest['thinkingLevel']
  clock?: FailoverClock
  /** At most this many retries per candidate (default 3). */
  maxRetries?: number
  /** Overrides the wire adapter (tests of the loop itself). */
  providerFor?: (api: ResolvedModel['api']) => ModelProvider
}

/** What `streamWithFailover` yields: the provider events plus the failover's own. */
export type FailoverEvent =
  | ModelStreamEvent
  /** Text streamed so far is void: a retry or another candidate starts over (previews reset). */
  | {type: 'reset'}
  | {type: 'retry'; ref: string; attempt: number; delayMs: number; reason: string}
  | {type: 'rotate'; provider: string; fromKey: string; toKey: string; reason: string}
  /** Switching candidates: the run loop writes `openclaw.model_fallback {from, to, reason}`. */
  | {type: 'fallback'; from: string; to: string; reason: string}

/**
 * Streams one model answer with the resilience of runtime.md §8.4: key rotation on 429 (at once),
 * a single key waiting its Retry-After, keys disabled on 401/403, retries with backoff (≤ 3 per
 * candidate) for 5xx, overload, network errors and idle timeouts, then the fallback candidates.
 * Context overflow and other 400s are thrown for the caller (compaction / fatal). The final
 * `done` message names the provider and model that answered.
 */
export async function* streamWithFailover(request: FailoverRequest): AsyncGenerator<FailoverEvent> {
  const clock = request.clock ?? systemClock
  const maxRetries = request.maxRetries ?? 3
  const failures: Array<{ref: string; error: unknown}> = []
  for (let index = 0; index < request.candidates.length; index++) {
    const candidate = request.candidates[index]
    if (index > 0) {
      const previous = failures.at(-1)
      yield {type: 'fallback', from: request.candidates[index - 1].model.ref, to: candidate.model.ref, reason: previous === undefined ? 'unavailable' : shortReason(previous.error)}
    }
    const outcome = yield* tryCandidate(request, candidate, clock, maxRetries)
    if (outcome === 'done') return
    failures.push({ref: candidate.model.ref, error: outcome.error})
  }
  throw exhausted(failures, request.candidates.length)
}

type Outcome = 'done' | {error: unknown}

async function* tryCandidate(request: FailoverRequest, candidate: ModelCandidate, clock: FailoverClock, maxRetries: number): AsyncGenerator<FailoverEvent, Outcome> {
  const {model} = candidate
  const pool = request.pools.forProvider(model.provider, candidate.keys)
  const provider = (request.providerFor ?? providerFor)(model.api)
  let retries = 0
  for (;;) {
    let key: string | undefined
    if (candidate.keys.length > 0) {
      let picked = pool.pick(clock.now())
      if (picked === undefined) {
        const wait = pool.waitMs(clock.now())
        if (!Number.isFinite(wait)) return {error: noUsableKey(candidate)}
        if (wait > MAX_RETRY_AFTER_MS || retries >= maxRetries) return {error: rateLimited(candidate, wait)}
        retries++
        yield {type: 'retry', ref: model.ref, attempt: retries, delayMs: wait, reason: 'every key is rate limited'}
        await sleepOrAbort(clock, wait, request.signal, model)
        picked = pool.pick(clock.now())
        if (picked === undefined) continue
      }
      key = picked.key
    } else if (candidate.keyRequired) {
      return {error: noUsableKey(candidate)}
    }

    let streamed = false
    try {
      for await (const event of provider.stream({model, apiKey: key, system: request.system, messages: request.messages, tools: request.tools, signal: request.signal, thinkingLevel: request.thinkingLevel, agents: request.pools.http})) {
        if (event.type === 'text' || event.type === 'thinking' || event.type === 'toolCall') streamed = true
        yield event
      }
      return 'done'
    } catch (error) {
      if (request.signal.aborted) throw modelError('model request aborted', {kind: 'aborted', provider: model.provider, model: model.model}, {cause: error})
      const kind = modelErrorKind(error)
      const retryAfterMs = modelErrorDetails(error).retryAfterMs
      const now = clock.now()
      if ((kind === 'rate_limit' || kind === 'auth') && key !== undefined) {
        if (kind === 'auth') pool.disable(key)
        else pool.coolDown(key, now + (retryAfterMs ?? 60_000))
      }
      const action = classify({kind, retryAfterMs, otherKeyFree: pool.hasOtherFree(key, now)})
      if (streamed && action !== 'stop') yield {type: 'reset'}
      switch (action) {
        case 'stop':
          throw error
        case 'compact':
        case 'fatal':
          throw error
        case 'fallback':
          return {error}
        case 'rotate': {
          const next = pool.pick(now)
          yield {type: 'rotate', provider: model.provider, fromKey: maskKey(key ?? ''), toKey: maskKey(next?.key ?? ''), reason: shortReason(error)}
          continue
        }
        case 'retry': {
          if (retries >= maxRetries) return {error}
          retries++
          const delayMs = backoffDelayMs(retries, clock.random(), retryAfterMs)
          yield {type: 'retry', ref: model.ref, attempt: retries, delayMs, reason: shortReason(error)}
          await sleepOrAbort(clock, delayMs, request.signal, model)
          // We waited what the server asked (or our backoff): this key may be tried again.
          if (key !== undefined && kind === 'rate_limit') pool.coolDown(key, 0)
          continue
        }
      }
    }
  }
}

async function sleepOrAbort(clock: FailoverClock, ms: number, signal: AbortSignal, model: ResolvedModel): Promise<void> {
  try {
    await clock.sleep(ms, signal)
  } catch (error) {
    throw modelError('model request aborted', {kind: 'aborted', provider: model.provider, model: model.model}, {cause: error})
  }
}

function noUsableKey(candidate: ModelCandidate): AppError {
  const {provider, ref} = candidate.model
  if (candidate.keys.length === 0) return modelError(`no API key for ${provider} (set ${candidate.keyEnvVar})`, {kind: 'auth', provider, model: candidate.model.model})
  return modelError(`every API key of ${provider} was rejected (401/403) for ${ref}`, {kind: 'auth', provider, model: candidate.model.model}, {
    hint: [`Check the keys: openclaw models status --check`, `Replace them (export ${candidate.keyEnvVar}=…); a config change re-enables rejected keys`],
  })
}

function rateLimited(candidate: ModelCandidate, waitMs: number): AppError {
  return modelError(`every API key of ${candidate.model.provider} is rate limited for another ${Math.ceil(waitMs / 1000)}s`, {kind: 'rate_limit', provider: candidate.model.provider, model: candidate.model.model, retryAfterMs: waitMs})
}

/** A reason short enough for a fallback notice: `rate limited`, `HTTP 500`, `idle timeout`, …. */
export function shortReason(error: unknown): string {
  const kind = modelErrorKind(error)
  const status = modelErrorDetails(error).status
  const byKind: Record<ModelErrorKind, string> = {
    rate_limit: 'rate limited', auth: 'key rejected', billing: 'billing', not_found: 'model not found', overloaded: 'overloaded',
    server: 'server error', timeout: 'timeout', network: 'unreachable', context_overflow: 'context too long', bad_request: 'bad request', aborted: 'aborted',
  }
  return status === undefined ? byKind[kind] : `${byKind[kind]}, HTTP ${status}`
}

function exhausted(failures: Array<{ref: string; error: unknown}>, count: number): AppError {
  const last = failures.at(-1)?.error
  const kind = modelErrorKind(last)
  // One candidate: its own error is the clearest message (it names the URL or the key variable).
  if (count === 1 && last instanceof AppError) {
    return new AppError(last.code, last.message, {hint: last.hint, details: {...last.details, chatErrorKind: chatErrorKind(kind), attempts: failures.map((f) => ({ref: f.ref, reason: shortReason(f.error)}))}, cause: last})
  }
  const summary = failures.map((f) => `${f.ref}: ${(f.error as Error)?.message ?? String(f.error)}`).join('; ')
  return new AppError('MODEL_REQUEST_FAILED', `No model could answer right now (${shortReason(last)}): ${summary}`, {
    hint: ['Check every model of the chain: openclaw models status --check'],
    details: {kind, chatErrorKind: chatErrorKind(kind), attempts: failures.map((f) => ({ref: f.ref, reason: shortReason(f.error)}))},
    cause: last,
  })
}
