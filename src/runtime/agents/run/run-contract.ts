/**
 * What a run takes and gives back: the request the CLI, the gateway methods and the channels
 * hand to the runner, the admission they get at once, and the outcome the run settles with.
 */
import type {ImagePart, Usage} from '../../models/messages.js'
import type {ModelRequest} from '../../models/provider.js'
import type {MessageOrigin} from '../../sessions/store.js'
import type {RunObserver} from './run-events.js'
import type {RunError} from './run-turn.js'

export interface AgentRequest {
  message: string
  /** Channel photos, as user image parts beside `message` (stored inline in the transcript, runtime.md §5.3). */
  images?: ImagePart[]
  agentId?: string
  sessionKey?: string
  /** RPC runs use the idempotencyKey; default a fresh UUID. */
  runId?: string
  timeoutSeconds?: number
  extraSystemPrompt?: string
  /** Reasoning effort for this run (`agent --thinking`); else the session's, else the agent default. */
  thinking?: ThinkingLevel
  /** A model ref for this run only (`agent --model`), strict like a session override. */
  model?: string
  origin?: MessageOrigin
  /** `chat.send`/`agent` = `webchat`-like operator channel; channels name themselves. */
  channel?: string
  observer?: RunObserver
  /** The gateway connection that asked (receives the `tool` events). */
  requesterConnId?: string
  /**
   * Restart replay: the message is already in the transcript. `user-line`: its user line (a free
   * lane writes none); `marker`: its `openclaw.inbound` marker (a busy lane writes none).
   */
  committed?: 'user-line' | 'marker'
}

export type ThinkingLevel = NonNullable<ModelRequest['thinkingLevel']>

export interface Admitted {
  runId: string
  sessionKey: string
  agentId: string
  sessionId: string
  acceptedAt: number
  queued: boolean
}

/** The final `agent` response body (protocol.md §6.6 + OpenClaw's `meta.agentMeta`). */
export interface RunOutcome {
  runId: string
  status: 'ok' | 'error' | 'timeout'
  summary: string
  stopReason: string
  sessionKey: string
  agentId: string
  sessionId: string
  startedAt: number
  endedAt: number
  text: string
  result: {payloads: Array<{text: string}>; meta: {durationMs: number; provider: string; model: string; usage: Usage; fallbackUsed: boolean; aborted: boolean; agentMeta: {sessionId: string; provider: string; model: string; usage: Usage}}}
  error?: RunError
  /** The run that produced this answer: collect and steer answer several messages with one turn. */
  turnRunId?: string
}

export interface RunHandle {
  admitted: Admitted
  done: Promise<RunOutcome>
}
