/**
 * One WebSocket connection's state, kept small (no timers, no queues beyond the socket buffer):
 * who it is after `connect`, its event `seq`, and sending with the §5 back-pressure rules.
 */
import {randomUUID} from 'node:crypto'
import type {Duplex} from 'node:stream'

import type {WebSocket} from 'ws'

import type {DispatchConnection} from './dispatch.js'
import type {EventReceiver} from './events.js'
import type {InboundQueue} from './inbound-queue.js'
import {CLOSE_CODES, CLOSE_REASONS, LIMITS, type ClientId, type ClientMode, type OperatorScope} from '../protocol/frames.js'

/** `handshake`: waiting for `connect`; `connecting`: connect being decided; `open`: after hello-ok. */
export type ConnectionState = 'handshake' | 'connecting' | 'open' | 'closed'

/** RFC 6455 caps close reasons at 123 bytes; cut on a character boundary so the text stays valid UTF-8. */
export function truncateCloseReason(reason: string, maxBytes: number = LIMITS.maxCloseReasonBytes): string {
  if (Buffer.byteLength(reason) <= maxBytes) return reason
  let bytes = 0
  let out = ''
  for (const char of reason) {
    bytes += Buffer.byteLength(char)
    if (bytes > maxBytes) break
    out += char
  }
  return out
}

/** Memory a queued frame costs beyond its bytes (header and payload buffers, the write request), bytes. */
export const FRAME_OVERHEAD_BYTES = 256

/**
 * The send-buffer budget shared by a server's connections: each may buffer up to the policy's
 * `maxBufferedBytes`, but while several are congested they share `totalBytes`, never less than
 * `minShareBytes` each, so many slow readers together cannot take unbounded memory.
 */
export class SendBudget {
  private readonly congested = new Set<object>()

  constructor(
    readonly perConnectionBytes: number,
    private readonly totalBytes = 256 * 1024 * 1024,
    private readonly minShareBytes = 4 * 1024 * 1024,
    private readonly congestedAboveBytes = 1024 * 1024,
  ) {}

  /** The limit for a connection currently holding `estimate` bytes. */
  limitFor(conn: object, estimate: number): number {
    if (estimate > this.congestedAboveBytes) this.congested.add(conn)
    else this.congested.delete(conn)
    if (this.congested.size <= 1) return this.perConnectionBytes
    return Math.min(this.perConnectionBytes, Math.max(this.minShareBytes, Math.floor(this.totalBytes / this.congested.size)))
  }

  forget(conn: object): void {
    this.congested.delete(conn)
  }
}

export interface ConnectionPeer {
  ip: string
  /** Loopback peer without proxy headers (§4.4). */
  loopback: boolean
  /** The upgrade's `Origin` header, if any. */
  origin: string | undefined
  originAllowed: boolean
}

export class GatewayConnection implements DispatchConnection, EventReceiver {
  readonly connId = randomUUID()
  readonly methodState = new Map<string, unknown>()
  readonly nonce = randomUUID()
  state: ConnectionState = 'handshake'
  role: 'operator' | 'node' = 'operator'
  scopes: readonly OperatorScope[] = []
  clientId: ClientId = 'test'
  clientMode: ClientMode = 'test'
  protocol = 0
  /** Presence key this connection owns (instanceId, else connId), when listed. */
  presenceKey: string | undefined
  /** Frames received while `connecting`, replayed after hello-ok (§3.1). */
  pending: Array<{data: Buffer; isBinary: boolean}> | undefined
  /** Bytes received before hello-ok, to bound memory a client can make us buffer. */
  preauthBytes = 0
  /** Removes the pre-auth byte counter from the socket once authenticated. */
  dropPreauthCounter: (() => void) | undefined
  /** Fair admission of this connection's frames once open (absent before hello-ok). */
  inbound: InboundQueue<GatewayConnection> | undefined
  /** Cleared when a ping goes out; set by a pong or any inbound frame. */
  alive = true
  private seq = 0
  /** Frames handed to the socket since its buffer was last seen empty. */
  private queuedFrames = 0
  /** The socket is corked until this event-loop turn's callbacks ran (one write syscall for their frames). */
  private corked = false

  constructor(
    readonly ws: WebSocket,
    readonly socket: Duplex,
    readonly peer: ConnectionPeer,
    readonly openedAt: number,
    private readonly maxBufferedBytes: number,
    private readonly budget?: SendBudget,
  ) {}

  get ip(): string {
    return this.peer.ip
  }

  get loopback(): boolean {
    return this.peer.loopback
  }

  nextSeq(): number {
    this.seq += 1
    return this.seq
  }

  /** True until close has been started, by either side. */
  get writable(): boolean {
    return this.state !== 'closed' && this.ws.readyState === 1
  }

  /**
   * Memory the unsent frames hold: their bytes plus a per-frame overhead, counted since the socket
   * was last seen empty (so 50 MiB of tiny frames cannot cost three times that before the close).
   */
  private backlog(): number {
    const buffered = this.ws.bufferedAmount
    if (buffered === 0) this.queuedFrames = 0
    return buffered + this.queuedFrames * FRAME_OVERHEAD_BYTES
  }

  private overLimit(): boolean {
    const backlog = this.backlog()
    return backlog > (this.budget === undefined ? this.maxBufferedBytes : this.budget.limitFor(this, backlog))
  }

  /** Sends a frame that must not be dropped; a congested socket is closed as a slow consumer. */
  send(text: string | Buffer): void {
    if (!this.writable) return
    if (this.overLimit()) {
      this.budget?.forget(this)
      this.close(CLOSE_CODES.policyViolation, CLOSE_REASONS.slowConsumer)
      return
    }
    this.queuedFrames++
    this.corkForTick()
    // A Buffer is UTF-8 JSON too: sent as a text frame.
    this.ws.send(text, {binary: false})
  }

  /**
   * A run publishes several events at once (lifecycle, text, chat final) and each goes to every
   * operator: corking until the I/O callbacks of this event-loop turn have run (setImmediate)
   * makes them one write syscall per socket, not one each; with many runs in flight, the events
   * of every run that progressed in this turn share it (a nextTick would flush per callback).
   */
  private corkForTick(): void {
    if (this.corked) return
    this.corked = true
    this.socket.cork()
    setImmediate(() => {
      this.corked = false
      this.socket.uncork()
    })
  }

  sendEvent(frame: Buffer, dropIfSlow: boolean): void {
    if (dropIfSlow && this.writable && this.overLimit()) return
    this.send(frame)
  }

  /** Starts a close handshake; the reason is truncated to 123 bytes. */
  close(code: number, reason = ''): void {
    if (this.ws.readyState === 0 || this.ws.readyState === 1) this.ws.close(code, truncateCloseReason(reason))
  }

  /** Drops the TCP connection without a close handshake (dead peer). */
  terminate(): void {
    this.budget?.forget(this)
    this.ws.terminate()
  }
}
