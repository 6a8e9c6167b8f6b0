/**
 * Inbound frame parsing (protocol.md §2.1, §2.4): text → `RequestFrame` or a reason it is not
 * one. A hand check accepts well-formed requests fast; anything it rejects goes through
 * `RequestFrameSchema` (the source of truth) for the issue text, and a unit test keeps the two in
 * agreement.
 */
import {formatIssues, RequestFrameSchema, type RequestFrame} from './frames.js'

/** Deepest bracket nesting accepted in a frame; deeper frames are refused before JSON.parse. */
export const MAX_JSON_DEPTH = 64

export const FRAME_ISSUES = {
  binary: 'binary frames are not supported',
  notJson: 'frame is not valid JSON',
  tooDeep: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
} as const

export type ParsedFrame =
  | {ok: true; frame: RequestFrame}
  /** `id` is the frame's string id when it had one; `isReq` when it claimed `type:"req"`. */
  | {ok: false; id: string | undefined; isReq: boolean; issues: string}

/**
 * True when `[`/`{` nest deeper than `max` outside string literals. One pass, no allocation,
 * so a hostile frame cannot make later recursive code (stringify, logging) overflow the stack.
 */
export function exceedsJsonDepth(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= max) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return false
}

/** The fast path: exactly the frames `RequestFrameSchema` accepts, checked by hand. */
function asRequest(value: Record<string, unknown>): RequestFrame | undefined {
  const {id, method, traceparent} = value
  if (value.type !== 'req' || typeof id !== 'string' || id === '' || typeof method !== 'string' || method === '') return undefined
  if (traceparent !== undefined && (typeof traceparent !== 'string' || traceparent.length > 128)) return undefined
  return {type: 'req', id, method, params: value.params}
}

/** Parses one text frame. Never throws. */
export function parseFrame(text: string): ParsedFrame {
  if (exceedsJsonDepth(text)) return {ok: false, id: undefined, isReq: false, issues: FRAME_ISSUES.tooDeep}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return {ok: false, id: undefined, isReq: false, issues: FRAME_ISSUES.notJson}
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  if (object !== undefined) {
    const frame = asRequest(object)
    if (frame !== undefined) return {ok: true, frame}
  }
  const result = RequestFrameSchema.safeParse(value)
  // Unreachable when the hand check agrees with the schema; kept so the schema stays authoritative.
  if (result.success) return {ok: true, frame: result.data}
  const id = typeof object?.id === 'string' ? object.id : undefined
  return {ok: false, id, isReq: object?.type === 'req', issues: formatIssues(result.error)}
}
