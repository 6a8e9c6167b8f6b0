import type {InboundEnvelope} from '../../routing/envelope.js'

/**
 * What the Telegram channel needs from the agent runtime (INTERFACES.md: seams-run's
 * `dispatchInbound`). Kept here, small, until the run loop lands; the gateway subsystem passes
 * the real implementation.
 */
export interface DeliverySink {
  /** A turn for this chat was admitted or is still running. */
  typing(): void
  /** The latest streamed text of the run (whole text so far, not a delta). */
  preview(text: string): void
  /** The final reply; called at most once per run. The Telegram session resolves with its delivery state (`delivered`, `uncertain`, `failed`). */
  final(payload: {text: string}): Promise<unknown>
  /** The run failed before anything was delivered. */
  error(message: string): Promise<void>
  /** A short notice sent as its own message before the reply (the model fallback of runtime.md §8.4). */
  notice?(text: string): void
  /** Receives the runner's recorder for the preview message id (called once the preview exists; see agents/run/inbound.ts). */
  trackPreview?(record: (messageId: string) => Promise<void>): void
}

export interface InboundAccepted {
  runId: string | null
  sessionKey: string
  agentId: string
  queued: boolean
}

export interface ChannelRuntime {
  /** Resolves once the message is committed (user line or queued marker fsynced); the reply comes later through `sink`. */
  dispatchInbound(envelope: InboundEnvelope, sink: DeliverySink): Promise<InboundAccepted>
  /** True when this dedupeKey is already in its target transcript (replay after a crash, telegram.md §4.4). */
  isCommitted(envelope: InboundEnvelope): Promise<boolean>
  /** Whether the model that will answer this message takes images (absent: assume it does). A photo is downloaded only then. */
  takesImages?(envelope: InboundEnvelope): Promise<boolean>
}
