/**
 * The runner's queued message (runtime.md §8.5) and the lines and outcomes built from it: the user
 * line of a turn that consumes queued markers, steering lines, and the outcome of a dropped message.
 */
import {ZERO_USAGE, type ImagePart, type UserMessage} from '../../models/messages.js'
import type {MessageOrigin} from '../../sessions/store.js'
import type {AgentRequest, Admitted, RunOutcome} from './run-contract.js'
import type {QueuedMessage} from './queue-plan.js'
import type {ModelCandidate} from '../../models/resolve-model.js'

/** A queued message with what its run needs (the request as admitted). */
export interface LaneMessage extends QueuedMessage {
  settle(outcome: RunOutcome | Error): void
  request: AgentRequest
  admitted: Admitted
  workspace: string
  candidates: ModelCandidate[]
}

/** A user line: the text, then the message's images (channel photos) as image parts. */
export function userMessage(text: string, timestamp: number, images: readonly ImagePart[] = []): UserMessage {
  // A photo without a caption is just the image: an empty text part next to it says nothing.
  const head = text === '' && images.length > 0 ? [] : [{type: 'text' as const, text}]
  return {role: 'user', content: [...head, ...images], timestamp}
}

/** The images of every message a turn consumes, in order. */
export function memberImages(members: LaneMessage[]): ImagePart[] {
  return members.flatMap((member) => member.request.images ?? [])
}

/** Collected messages drain per delivery target: channel, account, peer (§8.5). */
export function deliveryTarget(request: AgentRequest): string {
  const origin = request.origin
  return origin === undefined ? `operator:${request.channel ?? 'cli'}` : [origin.channel, origin.accountId ?? '', origin.peer?.kind ?? '', origin.peer?.id ?? ''].join(':')
}

/** The origin of a user line that consumes queued markers: the first sender, every dedupe key. */
export function consumingOrigin(members: LaneMessage[]): MessageOrigin {
  const first = members[0].request.origin
  return {...(first ?? {channel: members[0].request.channel ?? 'cli'}), messageIds: members.flatMap((member) => member.request.origin?.messageIds ?? []), dedupeKeys: members.flatMap((member) => member.dedupeKeys)}
}

/** Steering messages join the running turn as user lines that consume their markers. */
export function steerLines(messages: LaneMessage[]): Array<{message: UserMessage; origin: MessageOrigin}> {
  return messages.map((message) => ({message: userMessage(message.text, message.at, message.request.images), origin: consumingOrigin([message])}))
}

export function droppedOutcome(message: LaneMessage, reason: string, now: number): RunOutcome {
  const usage = {...ZERO_USAGE}
  const {provider, model} = message.candidates[0].model
  const {sessionKey, agentId, sessionId} = message.admitted
  return {
    runId: message.runId, status: 'ok', summary: `dropped (${reason})`, stopReason: 'aborted', sessionKey, agentId, sessionId, startedAt: now, endedAt: now, text: '',
    result: {payloads: [], meta: {durationMs: 0, provider, model, usage, fallbackUsed: false, aborted: true, agentMeta: {sessionId, provider, model, usage}}},
  }
}

/** Where a message came from, as the reset policy reads it (forum topics count as threads). */
export function resetWhere(origin: MessageOrigin | undefined): {channel?: string; chatType?: string; isThread?: boolean} {
  if (origin === undefined) return {}
  return {channel: origin.channel, chatType: origin.peer?.kind, isThread: origin.peer?.id.includes(':topic:') ?? false}
}
