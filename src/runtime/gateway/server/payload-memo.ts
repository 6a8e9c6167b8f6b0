/**
 * Per-server memo of response payloads derived from immutable inputs (the config JSON Schema of
 * this build): built once on first use, serialized once, and the wire text reused by dispatch, so
 * a client repeating an expensive read costs a string copy, not a rebuild (issue 6, defect 1).
 */
export class PayloadMemo {
  private readonly values = new Map<string, object>()
  private readonly json = new WeakMap<object, string>()

  /** The payload stored under `key`, built by `build` on first use. Treat it as read-only. */
  get<T extends object>(key: string, build: () => T): T {
    let value = this.values.get(key)
    if (value === undefined) {
      value = build()
      this.values.set(key, value)
    }
    return value as T
  }

  /** The JSON text of a payload this memo returned, else undefined (the caller serializes). */
  jsonFor(value: unknown): string | undefined {
    if (typeof value !== 'object' || value === null) return undefined
    const cached = this.json.get(value)
    if (cached !== undefined || !this.isMemoized(value)) return cached
    try {
      const text = JSON.stringify(value)
      this.json.set(value, text)
      return text
    } catch {
      return undefined
    }
  }

  private isMemoized(value: object): boolean {
    for (const stored of this.values.values()) if (stored === value) return true
    return false
  }
}
