/**
 * Channel replies a crash left behind (issue 10, exactly-once delivery). A channel run's user line
 * carries `origin.delivery: "channel"`; around sending its final the runner writes
 * `openclaw.delivery` markers (`sending`, fsynced before the first byte leaves, then the outcome).
 * After a restart, per final assistant answer of a tracked turn:
 * - no marker at all: it never left, so it is sent now (`unsent`);
 * - `sending` and nothing after it: it may have been on the wire at the kill, so it is never sent
 *   again; the transcript gets an `undelivered` marker (`interrupted`);
 * - any outcome (`delivered`, `uncertain`, `failed`, `undelivered`): done.
 * A streamed run also leaves a `preview` marker with the channel message id of its preview: the
 * restarted run's final (or the unsent one) edits that message instead of leaving a half answer
 * above a new one.
 * Pure: takes the transcript lines, returns what to do.
 */
import type {AssistantMessage} from '../../models/messages.js'
import type {MessageOrigin} from '../../sessions/store.js'
import {assistantText, finalPayloadText} from './final-payload.js'

/** The marker type written around channel deliveries. */
export const DELIVERY_MARKER = 'openclaw.delivery'

export type DeliveryMarkerState = 'sending' | 'delivered' | 'uncertain' | 'failed' | 'undelivered'

/** The marker state that records a preview message (`data.messageId`); it says nothing about the final. */
export const PREVIEW_STATE = 'preview'

export interface PendingDelivery {
  origin: MessageOrigin
  /** The dedupe key the markers are written under (the turn's first). */
  dedupeKey: string
  text: string
  /** The chat message the run's streamed preview lives in (the final edits it). */
  previewMessageId?: string
}

export interface DeliveryScan {
  unsent: PendingDelivery[]
  interrupted: PendingDelivery[]
  /** The preview of the turn still running at the end (no final yet), for the replayed run to finish. */
  openPreviewMessageId?: string
}

interface LineLike {
  type: string
  message?: {role?: string; stopReason?: string}
  origin?: MessageOrigin
  customType?: string
  data?: Record<string, unknown>
}

export function scanPendingDeliveries(lines: readonly unknown[]): DeliveryScan {
  const states = new Map<string, string>()
  const previews = new Map<string, string>()
  const finals: Array<PendingDelivery & {keys: string[]}> = []
  let turn: {origin: MessageOrigin; keys: string[]} | undefined
  for (const raw of lines) {
    const line = raw as LineLike
    if (line.type === 'custom' && line.customType === DELIVERY_MARKER && typeof line.data?.dedupeKey === 'string') {
      if (line.data.state === PREVIEW_STATE) {
        if (typeof line.data.messageId === 'string') previews.set(line.data.dedupeKey, line.data.messageId)
      } else states.set(line.data.dedupeKey, String(line.data.state))
    } else if (line.type === 'message' && line.message?.role === 'user') {
      // Steering lines join the running turn; a tracked origin starts (or extends) the turn's key set.
      if (line.origin?.delivery === 'channel') turn = {origin: turn?.origin ?? line.origin, keys: [...(turn?.keys ?? []), ...(line.origin.dedupeKeys ?? [])]}
      else turn = undefined
    } else if (line.type === 'message' && line.message?.role === 'assistant' && line.message.stopReason !== 'toolUse') {
      const text = finalPayloadText(assistantText(line.message as AssistantMessage))
      if (turn !== undefined && turn.keys.length > 0 && text !== '') finals.push({origin: turn.origin, dedupeKey: turn.keys[0], text, keys: turn.keys})
      turn = undefined
    }
  }
  const previewOf = (keys: readonly string[]) => keys.map((key) => previews.get(key)).find((id) => id !== undefined)
  const scan: DeliveryScan = {unsent: [], interrupted: []}
  const open = turn === undefined ? undefined : previewOf(turn.keys)
  if (open !== undefined) scan.openPreviewMessageId = open
  for (const {keys, ...delivery} of finals) {
    const seen = keys.map((key) => states.get(key)).filter((state) => state !== undefined)
    const preview = previewOf(keys)
    if (seen.length === 0) scan.unsent.push(preview === undefined ? delivery : {...delivery, previewMessageId: preview})
    else if (seen.every((state) => state === 'sending')) scan.interrupted.push(delivery)
  }
  return scan
}
