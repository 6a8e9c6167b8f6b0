/**
 * Building a request body as JSON text from memoised parts. The body object is stringified with
 * placeholder strings where the long arrays go (messages, tools), then each placeholder is
 * replaced by the array's JSON joined from per-item strings: the bytes are those of
 * `JSON.stringify` of the whole body (same key order, same escaping), at the cost of the new
 * items only.
 */

/** Placeholder values: no provider param or model name carries these. */
export const MESSAGES_SLOT = '\u0000openclaw:messages\u0000'
export const TOOLS_SLOT = '\u0000openclaw:tools\u0000'

const SLOTS = {messages: MESSAGES_SLOT, tools: TOOLS_SLOT} as const

/** Replaces the top-level `"<key>":"<slot>"` of `json` with `"<key>":<raw>`. */
export function fillSlot(json: string, key: keyof typeof SLOTS, raw: string): string {
  const token = `${JSON.stringify(key)}:${JSON.stringify(SLOTS[key])}`
  const at = json.indexOf(token)
  if (at === -1) throw new Error(`request body has no ${key} slot`)
  return `${json.slice(0, at)}${JSON.stringify(key)}:${raw}${json.slice(at + token.length)}`
}

/** `JSON.stringify(build())`, kept per item object (tool definitions live as long as their runner). */
export function memoJson<T extends object>(memo: WeakMap<T, string>, item: T, build: () => unknown): string {
  let json = memo.get(item)
  if (json === undefined) {
    json = JSON.stringify(build())
    memo.set(item, json)
  }
  return json
}
