/**
 * Freezes `value` and everything reachable from it, so a loaded config can be shared between
 * the gateway's subsystems without anyone mutating it. Returns the same object.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  Object.freeze(value)
  for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child)
  return value
}
