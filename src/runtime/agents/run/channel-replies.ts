/**
 * A run's reply to the chat it came from (runtime.md §5.4, protocol.md §6.5): the final between
 * two `openclaw.delivery` markers, or one error reply, sent once per chat however many messages one
 * collect/steer turn answered.
 */
import type {MessageOrigin, SessionStores} from '../../sessions/store.js'
import type {DeliverySink} from './inbound.js'
import {DELIVERY_MARKER, PREVIEW_STATE, type DeliveryMarkerState} from './pending-deliveries.js'
import type {RunHandle, RunOutcome} from './run-contract.js'

export class ChannelReplies {
  /** Turns whose channel reply is being sent, per chat (see `follow`). */
  private readonly replyingTurns = new Set<string>()
  /** `deliverReply`s in flight this tick, per turn and chat (their members share the state). */
  private readonly sharedReplies = new Map<string, Promise<DeliveryMarkerState | 'none'>>()

  constructor(private readonly stores: SessionStores) {}

  /**
   * Delivers a channel run's outcome through its sink: the final (with delivery markers) or one error
   * reply. Messages that one collect/steer turn answered share its outcome; the chat gets that reply
   * once (the first member's follower sends it; the others, settled in the same tick, see it taken).
   */
  follow(handle: RunHandle, sink: DeliverySink, where: {dedupeKey: string; chat: string; replyToMessageId?: string | undefined}): void {
    const {agentId, sessionKey} = handle.admitted
    // The preview's message id goes on disk (unfsynced: a lost line costs a stale preview, never a reply), so a restart can finish it.
    sink.trackPreview?.((messageId) => this.stores.forAgent(agentId).append(sessionKey, {type: 'custom', customType: DELIVERY_MARKER, data: {dedupeKey: where.dedupeKey, state: PREVIEW_STATE, messageId}}, {fsync: false}).then(() => undefined))
    void handle.done.then(
      async (outcome) => {
        const turnKey = `${outcome.turnRunId ?? outcome.runId}\u0000${where.chat}`
        if (this.replyingTurns.has(turnKey)) return
        this.replyingTurns.add(turnKey)
        try {
          if (outcome.status !== 'ok' && outcome.text === '') return sink.error(outcome.error?.message ?? outcome.summary)
          await this.deliverFinal(sink, {agentId, sessionKey, dedupeKey: where.dedupeKey}, outcome.text, where.replyToMessageId)
        } finally {
          // After this tick: the turn's other members settled in it and must find the reply taken.
          setImmediate(() => this.replyingTurns.delete(turnKey))
        }
      },
      (error: unknown) => sink.error(error instanceof Error ? error.message : String(error)),
    ).catch(() => undefined)
  }

  /**
   * Sends one final through a channel sink between two `openclaw.delivery` markers: `sending`
   * (fsynced first, so a crash mid-send is never resent) and the outcome (see pending-deliveries.ts).
   */
  async deliverFinal(sink: DeliverySink, where: {agentId: string; sessionKey: string; dedupeKey: string}, text: string, replyToMessageId?: string): Promise<DeliveryMarkerState | 'none'> {
    const reply = {text, ...(replyToMessageId === undefined ? {} : {replyToMessageId})}
    if (text === '') {
      await sink.final(reply)
      return 'none'
    }
    const store = this.stores.forAgent(where.agentId)
    const mark = (state: DeliveryMarkerState, fsync: boolean) => store.append(where.sessionKey, {type: 'custom', customType: DELIVERY_MARKER, data: {dedupeKey: where.dedupeKey, state}}, {fsync})
    await mark('sending', true)
    const result = await sink.final(reply)
    const state = typeof result === 'string' && ['uncertain', 'failed'].includes(result) ? (result as DeliveryMarkerState) : 'delivered'
    await mark(state, false)
    return state
  }

  /**
   * `agent --deliver` (protocol.md §6.5): a finished run's final text through the channel sink of
   * its `origin` (the same path and `openclaw.delivery` markers as a channel reply), once. `sink`
   * overrides the runner's channel sinks (the embedded CLI has no running channel).
   */
  async deliverReply(outcome: RunOutcome, origin: MessageOrigin, sink: DeliverySink): Promise<DeliveryMarkerState | 'none'> {
    // Requests one collect/steer turn answered share its reply: the chat gets it once (as in `follow`).
    const turnKey = `${outcome.turnRunId ?? outcome.runId}\u0000${chatKey(origin.channel, origin.accountId, origin.peer)}`
    const shared = this.sharedReplies.get(turnKey)
    if (shared !== undefined) return shared
    if (this.replyingTurns.has(turnKey)) return 'none'
    const sending = this.deliverFinal(sink, {agentId: outcome.agentId, sessionKey: outcome.sessionKey, dedupeKey: origin.dedupeKeys?.[0] ?? `run:${outcome.runId}`}, outcome.text)
    this.sharedReplies.set(turnKey, sending)
    this.replyingTurns.add(turnKey)
    // After this tick: the turn's other members settled in it and must find the reply taken.
    setImmediate(() => {
      this.sharedReplies.delete(turnKey)
      this.replyingTurns.delete(turnKey)
    })
    return sending
  }
}

/** One chat of one channel account: where a channel reply goes. */
export function chatKey(channel: string, accountId: string | undefined, peer: {kind: string; id: string} | undefined): string {
  return `${channel}:${accountId ?? 'default'}:${peer?.kind ?? '?'}:${peer?.id ?? '?'}`
}
