/**
 * Lenient readers for what a gateway sends the CLI client. The server-side schemas in
 * `protocol/frames.ts` describe exactly what we emit; these accept anything an upstream gateway
 * may add (protocol §10: extra hello-ok keys, ~60 event names, new detail fields).
 */
import type WebSocket from 'ws'
import {z} from 'zod'

import {LIMITS, type ErrorShape} from '../protocol/frames.js'

/** The parts of `hello-ok` (§3.4) the CLI reads; every other key is kept as sent. */
export const GatewayHelloSchema = z
  .object({
    type: z.literal('hello-ok'),
    protocol: z.number().int(),
    server: z.object({version: z.string(), connId: z.string().optional()}).loose(),
    features: z.object({methods: z.array(z.string()).default([]), events: z.array(z.string()).default([])}).loose().default({methods: [], events: []}),
    snapshot: z.object({uptimeMs: z.number().optional(), health: z.unknown().optional()}).loose().default({}),
    auth: z.object({role: z.string().optional(), scopes: z.array(z.string()).optional()}).loose().default({}),
    policy: z.object({tickIntervalMs: z.number().int().positive().default(LIMITS.tickIntervalMs)}).loose().default({tickIntervalMs: LIMITS.tickIntervalMs}),
  })
  .loose()
export type GatewayHello = z.infer<typeof GatewayHelloSchema>

/** An event after the handshake, as the client hands it to listeners. */
export interface GatewayEvent {
  type: 'event'
  event: string
  payload: unknown
  /** Per-connection sequence number (§2.3); absent on `connect.challenge`. */
  seq?: number
}

export type ClientResponse =
  | {type: 'res'; id: string; ok: true; payload: unknown}
  | {type: 'res'; id: string; ok: false; payload: unknown; error: ErrorShape}

/**
 * One inbound frame as a `res` or an `event`; `{type: 'ignored'}` for a well-formed object of
 * another type (ignored, §2.1); null for junk (binary, not JSON, not an object).
 */
export function parseServerFrame(data: WebSocket.RawData, isBinary: boolean): ClientResponse | GatewayEvent | {type: 'ignored'} | null {
  if (isBinary) return null
  let value: unknown
  try {
    value = JSON.parse(rawText(data))
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const frame = value as Record<string, unknown>
  if (frame.type === 'res' && typeof frame.id === 'string' && typeof frame.ok === 'boolean') {
    if (frame.ok) return {type: 'res', id: frame.id, ok: true, payload: frame.payload}
    return {type: 'res', id: frame.id, ok: false, payload: frame.payload, error: toErrorShape(frame.error)}
  }
  if (frame.type === 'event' && typeof frame.event === 'string') {
    const event: GatewayEvent = {type: 'event', event: frame.event, payload: frame.payload}
    if (typeof frame.seq === 'number') event.seq = frame.seq
    return event
  }
  return {type: 'ignored'}
}

/** An `error` read field by field, so one odd field (a float `retryAfterMs`) does not lose the code. */
export function toErrorShape(value: unknown): ErrorShape {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const shape: ErrorShape = {
    code: typeof v.code === 'string' ? v.code : 'UNAVAILABLE',
    message: typeof v.message === 'string' ? v.message : 'the gateway answered with an error but no message',
  }
  if (v.details !== undefined) shape.details = v.details
  if (typeof v.retryable === 'boolean') shape.retryable = v.retryable
  if (typeof v.retryAfterMs === 'number' && Number.isFinite(v.retryAfterMs)) shape.retryAfterMs = Math.max(0, Math.round(v.retryAfterMs))
  return shape
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}
