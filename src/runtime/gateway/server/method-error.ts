/** The one error a method handler throws to answer with a specific `ErrorShape` (protocol.md §2.2). */
import type {ErrorShape, GatewayErrorCode} from '../protocol/frames.js'

export interface MethodErrorOptions {
  details?: unknown
  /** Set together with `retryAfterMs` (§2.2: every retryable error says when). */
  retryAfterMs?: number
}

/** Thrown by handlers for expected failures; anything else becomes `UNAVAILABLE` with its message. */
export class MethodError extends Error {
  readonly code: GatewayErrorCode
  readonly details: unknown
  readonly retryAfterMs: number | undefined

  constructor(code: GatewayErrorCode, message: string, options: MethodErrorOptions = {}) {
    super(message)
    this.name = 'MethodError'
    this.code = code
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
  }

  /** The wire shape: `retryable:true` exactly when `retryAfterMs` is set. */
  toShape(): ErrorShape {
    const shape: ErrorShape = {code: this.code, message: this.message}
    if (this.details !== undefined) shape.details = this.details
    if (this.retryAfterMs !== undefined) {
      shape.retryable = true
      shape.retryAfterMs = this.retryAfterMs
    }
    return shape
  }
}
