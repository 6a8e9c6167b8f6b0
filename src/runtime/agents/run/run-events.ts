/**
 * The `agent` and `chat` events of one run (runtime.md §9, protocol.md §7.1–7.2), each stream with
 * its own per-run `seq` from 1. Assistant text is coalesced to at most one event per 50 ms; the
 * pending text is flushed before any other event so observers never see `end` before the text.
 */
import type {Usage} from '../../models/messages.js'

/** Where run events go: the gateway bus (or nothing, for an embedded CLI run). */
export interface RunEventSink {
  publish(event: string, payload: unknown, filter?: {dropIfSlow?: boolean; connId?: string}): void
}

/** Coalescing window for assistant deltas (ms). */
export const ASSISTANT_COALESCE_MS = 50

export interface RunIdentity {
  runId: string
  sessionKey: string
  agentId: string
  /** The gateway connection that started the run: the only receiver of `tool` events. */
  requesterConnId?: string
}

/** A local observer of one run (the CLI prints from it). */
export type RunObserver = (
  event:
    | {kind: 'text'; text: string; delta: string; replace: boolean}
    | {kind: 'tool'; phase: 'start' | 'result'; name: string; toolCallId: string; args?: unknown; isError?: boolean; result?: string}
    /** §8.4: the turn moved to another model candidate (`selected` is the primary). */
    | {kind: 'fallback'; from: string; to: string; selected: string; reason: string},
) => void

/** §8.4's notice: `↪️ Model fallback: <used> (selected <primary>; <reason>)`. */
export function fallbackNotice(event: {to: string; selected: string; reason: string}): string {
  return `↪️ Model fallback: ${event.to} (selected ${event.selected}; ${event.reason})`
}

export class RunEvents {
  private agentSeq = 0
  private chatSeq = 0
  private lastAssistantAt = 0
  private pending: {text: string; delta: string; replace: boolean} | undefined
  private timer: NodeJS.Timeout | undefined
  private text = ''

  constructor(
    private readonly sink: RunEventSink,
    private readonly run: RunIdentity,
    private readonly now: () => number = Date.now,
    private readonly observer?: RunObserver,
  ) {}

  start(startedAt: number): void {
    this.agent('lifecycle', {phase: 'start', startedAt})
  }

  /** New assistant text (`replace` = a retry discarded what streamed so far). */
  assistant(delta: string, replace = false): void {
    this.text = replace ? delta : this.text + delta
    this.observer?.({kind: 'text', text: this.text, delta, replace})
    const merged = this.pending === undefined ? {text: this.text, delta, replace} : {text: this.text, delta: replace ? delta : this.pending.delta + delta, replace: replace || this.pending.replace}
    this.pending = merged
    const wait = this.lastAssistantAt + ASSISTANT_COALESCE_MS - this.now()
    if (wait <= 0) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), wait)
  }

  /** Everything after this starts from an empty text (a new model step or a retry). */
  resetText(): void {
    this.flush()
    this.text = ''
  }

  tool(data: {phase: 'start' | 'result'; name: string; toolCallId: string; args?: unknown; isError?: boolean; result?: string}): void {
    this.flush()
    this.observer?.({kind: 'tool', ...data})
    // Tool events go only to the requester (protocol §7.1); other observers see seq gaps.
    if (this.run.requesterConnId === undefined) this.agentSeq++
    else this.agent('tool', data, {connId: this.run.requesterConnId})
  }

  /** A model fallback (§8.4): our own `fallback` stream, so terminals and operators can show the notice. */
  fallback(data: {from: string; to: string; selected: string; reason: string}): void {
    this.flush()
    this.observer?.({kind: 'fallback', ...data})
    this.agent('fallback', data)
  }

  compaction(data: {phase: 'start' | 'end'; tokensBefore?: number; tokensAfter?: number}): void {
    this.flush()
    this.agent('compaction', data)
  }

  end(data: {startedAt: number; endedAt: number; stopReason: string; aborted?: boolean; finalText: string; usage?: Usage}): void {
    this.flush()
    this.agent('lifecycle', {phase: 'end', startedAt: data.startedAt, endedAt: data.endedAt, stopReason: data.stopReason, ...(data.aborted === true ? {aborted: true} : {})})
    const message = {role: 'assistant', content: [{type: 'text', text: data.finalText}], timestamp: data.endedAt}
    if (data.aborted === true) this.chat('aborted', {message, stopReason: data.stopReason})
    else this.chat('final', {message, usage: data.usage, stopReason: data.stopReason})
  }

  error(data: {error: string; endedAt: number; errorKind: string; stopReason?: string}): void {
    this.flush()
    this.agent('lifecycle', {phase: 'error', error: data.error, endedAt: data.endedAt, ...(data.stopReason === undefined ? {} : {stopReason: data.stopReason})})
    this.chat('error', {errorMessage: data.error, errorKind: data.errorKind})
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    const pending = this.pending
    if (pending === undefined) return
    this.pending = undefined
    this.lastAssistantAt = this.now()
    this.agent('assistant', pending.replace ? {text: pending.text, delta: pending.delta, replace: true} : {text: pending.text, delta: pending.delta}, {dropIfSlow: true})
    const message = {role: 'assistant', content: [{type: 'text', text: pending.text}], timestamp: this.lastAssistantAt}
    this.chat('delta', pending.replace ? {message, replace: true} : {message}, {dropIfSlow: true})
  }

  private agent(stream: string, data: unknown, filter?: {dropIfSlow?: boolean; connId?: string}): void {
    const {runId, sessionKey, agentId} = this.run
    this.sink.publish('agent', {runId, seq: ++this.agentSeq, stream, ts: this.now(), data, sessionKey, agentId}, filter)
  }

  private chat(state: string, fields: Record<string, unknown>, filter?: {dropIfSlow?: boolean}): void {
    const {runId, sessionKey, agentId} = this.run
    this.sink.publish('chat', {runId, sessionKey, agentId, seq: ++this.chatSeq, state, ...fields}, filter)
  }
}
