/**
 * Server events (protocol.md §7, phase 1): who receives each one, whether it may be dropped for
 * a slow consumer, and the per-connection `seq` framing (§2.3).
 */
import type {OperatorScope} from '../protocol/frames.js'
import type {StateVersion} from '../protocol/snapshots.js'
import {hasScope} from './scopes.js'

export interface EventSpec {
  /** Receivers need this scope; undefined = every authenticated connection, nodes included. */
  readonly scope?: OperatorScope
  /** Skipped (seq still consumed) when the receiver's socket buffer is over the limit (§5). */
  readonly dropIfSlow: boolean
}

/** Every event this build emits after `hello-ok`. Adding one here advertises it in `hello-ok`. */
export const EVENT_SPECS: Readonly<Record<string, EventSpec>> = Object.freeze({
  tick: {dropIfSlow: true},
  health: {dropIfSlow: true},
  shutdown: {dropIfSlow: false},
  presence: {scope: 'operator.read', dropIfSlow: true},
  'config.changed': {scope: 'operator.read', dropIfSlow: false},
  // Runs (runtime.md §9): assistant deltas are published with dropIfSlow; lifecycle never is.
  agent: {scope: 'operator.read', dropIfSlow: false},
  chat: {scope: 'operator.read', dropIfSlow: false},
  'sessions.changed': {scope: 'operator.read', dropIfSlow: false},
  'exec.approval.requested': {scope: 'operator.approvals', dropIfSlow: false},
  'exec.approval.resolved': {scope: 'operator.approvals', dropIfSlow: false},
})

/** `hello-ok.features.events`: `connect.challenge` plus the table above. */
export const SERVED_EVENTS: readonly string[] = Object.freeze(['connect.challenge', ...Object.keys(EVENT_SPECS)])

/** An authenticated connection as the broadcaster needs it. */
export interface EventReceiver {
  /** Set for real connections; `EmitOptions.connId` sends to this one only. */
  readonly connId?: string
  readonly role: 'operator' | 'node'
  readonly scopes: readonly OperatorScope[]
  /** Takes the next `seq` for this connection. */
  nextSeq(): number
  /** Sends a framed event (UTF-8 JSON); `dropIfSlow` lets a congested socket skip it. */
  sendEvent(frame: Buffer, dropIfSlow: boolean): void
}

/** Whether `receiver` may see an event that needs `scope` (nodes see only scope-less events). */
export function receives(receiver: Pick<EventReceiver, 'role' | 'scopes'>, scope: OperatorScope | undefined): boolean {
  if (receiver.role === 'node') return scope === undefined
  return hasScope(receiver.scopes, scope)
}

/**
 * Encodes the frame without `seq` once, as UTF-8 bytes; each receiver's frame is one copy of them
 * around its own counter (a string per receiver would be flattened and UTF-8-encoded twice, by ws
 * measuring it and by the socket writing it, for each of the run's events times each connection).
 */
export function eventFramer(event: string, payload: unknown, stateVersion?: StateVersion): (seq: number) => Buffer {
  const head = Buffer.from(`{"type":"event","event":${JSON.stringify(event)}${payload === undefined ? '' : `,"payload":${JSON.stringify(payload)}`},"seq":`)
  const tail = Buffer.from(stateVersion === undefined ? '}' : `,"stateVersion":${JSON.stringify(stateVersion)}}`)
  return (seq) => {
    const digits = String(seq)
    const frame = Buffer.allocUnsafe(head.length + digits.length + tail.length)
    head.copy(frame, 0)
    frame.write(digits, head.length, 'latin1')
    tail.copy(frame, head.length + digits.length)
    return frame
  }
}

export interface EmitOptions {
  scope?: OperatorScope
  dropIfSlow?: boolean
  stateVersion?: StateVersion
  /** Only this connection (e.g. `agent` tool events go to the requester alone, protocol §7.1). */
  connId?: string
}

/** Sends `event` to every receiver allowed to see it; options default to the event's spec. */
export function emitEvent(receivers: Iterable<EventReceiver>, event: string, payload: unknown, options: EmitOptions = {}): void {
  const spec = EVENT_SPECS[event]
  const scope = options.scope ?? spec?.scope
  const dropIfSlow = options.dropIfSlow ?? spec?.dropIfSlow ?? false
  const frame = eventFramer(event, payload, options.stateVersion)
  for (const receiver of receivers) {
    if (options.connId !== undefined && receiver.connId !== options.connId) continue
    if (receives(receiver, scope)) receiver.sendEvent(frame(receiver.nextSeq()), dropIfSlow)
  }
}
