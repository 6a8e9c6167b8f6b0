/**
 * The channel entry point (INTERFACES.md): a channel subsystem hands over a normalized envelope
 * and a delivery sink. `dispatchInbound` resolves once the message is committed (user line or
 * `openclaw.inbound` marker fsynced), so the channel may acknowledge it (Telegram offset); the
 * reply then reaches the sink: `typing()` at admission, `preview(text)` as text streams (the
 * channel throttles), and exactly one of `final(...)` or `error(message)`.
 */
import type {InboundEnvelope} from '../../routing/envelope.js'
import type {AgentRunner} from './agent-runner.js'

export interface DeliverySink {
  /** The run was admitted (or waits for a slot): show typing. */
  typing(): void
  /** The reply so far (cumulative text); `replace` semantics are implied: show exactly this. */
  preview(text: string): void
  /**
   * The final payload, once. `text` is already stripped of NO_REPLY; an empty text means "send nothing".
   * A channel may resolve with its delivery outcome (`delivered`, `uncertain`, `failed`), which the
   * runner records in the transcript (`openclaw.delivery`).
   */
  final(reply: {text: string; replyToMessageId?: string}): void | Promise<unknown>
  /** The run failed with nothing to deliver: one short error reply. */
  error(message: string): void
  /** A short notice of its own, before the reply (DM origins: the model fallback of §8.4). */
  notice?(text: string): void
  /**
   * The runner passes a recorder that writes the run's preview message id to the transcript; the
   * channel calls it once the preview exists, so a restart can turn that message into the final.
   */
  trackPreview?(record: (messageId: string) => Promise<void>): void
}

export interface InboundAccepted {
  runId: string
  sessionKey: string
  agentId: string
  /** True when the message was committed as an `openclaw.inbound` marker behind an active run. */
  queued: boolean
}

/** Routes, commits and runs one inbound channel message; see the file comment. */
export function dispatchInbound(runner: AgentRunner, envelope: InboundEnvelope, sink: DeliverySink): Promise<InboundAccepted> {
  return runner.inbound(envelope, sink)
}
