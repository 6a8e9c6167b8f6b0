/** True for `{}`-style objects (not arrays, null, class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Deep merge for `$include` (config.md §5): objects merge per key, recursively; arrays and
 * scalars in `over` replace whatever `base` holds. Neither input is mutated; untouched subtrees
 * of `base` are shared, not copied.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over
  const out: Record<string, unknown> = {...base}
  for (const [key, value] of Object.entries(over)) {
    setOwn(out, key, Object.hasOwn(base, key) ? deepMerge(base[key], value) : value)
  }
  return out
}

/** Assigns an own property; plain `obj[key] =` would run the `__proto__` setter for that key, which JSON5 allows. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, {value, writable: true, enumerable: true, configurable: true})
}
