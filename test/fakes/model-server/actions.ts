/**
 * What the server does for one response, as data: the renderers turn a step into actions and the
 * server plays them on the socket. Keeping rendering pure lets the dialects be tested without I/O.
 */
export type Action =
  | {kind: 'head'; status: number; headers: Record<string, string>}
  | {kind: 'write'; data: string}
  | {kind: 'wait'; ms: number}
  /** Destroy the socket mid-response (a disconnect). */
  | {kind: 'destroy'}
  /** Send nothing more until the client goes away. */
  | {kind: 'hang'}
  | {kind: 'end'}

export const SSE_HEADERS = {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'}
export const JSON_HEADERS = {'content-type': 'application/json'}

/** Retry headers of an httpError step. */
export function retryHeaders(step: {retryAfter?: number | string; retryAfterMs?: number}): Record<string, string> {
  const headers: Record<string, string> = {}
  if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter)
  if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs)
  return headers
}

/** Rough token count the fake reports when a step does not set usage. */
export function estimateTokens(value: unknown): number {
  const size = typeof value === 'string' ? value.length : JSON.stringify(value ?? '').length
  return Math.max(1, Math.ceil(size / 4))
}

/** Splits a JSON string in two, so argument accumulation across chunks is exercised. */
export function splitInTwo(textValue: string): [string, string] {
  const middle = Math.ceil(textValue.length / 2)
  return [textValue.slice(0, middle), textValue.slice(middle)]
}

/** A complete JSON error response. */
export function errorActions(status: number, body: unknown, headers: Record<string, string>): Action[] {
  return [{kind: 'head', status, headers: {...JSON_HEADERS, ...headers}}, {kind: 'write', data: typeof body === 'string' ? body : JSON.stringify(body)}, {kind: 'end'}]
}
