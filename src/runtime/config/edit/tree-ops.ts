import {AppError} from '../../errors/app-error.js'
import {isPlainObject, setOwn} from '../deep-merge.js'
import {formatConfigPath, type PathSegment} from '../issues.js'

/**
 * Get, set and unset on plain JSON trees by path segments. Nothing is mutated: set and unset
 * copy the containers along the path and share everything else. A numeric segment on an object
 * names the key of that number (`groups.123` finds the key "123").
 */

export type Lookup = {found: true; value: unknown} | {found: false}

/** The value at `segments`, or `{found: false}` when any step is missing. */
export function getAtPath(tree: unknown, segments: readonly PathSegment[]): Lookup {
  let node = tree
  for (const segment of segments) {
    const step = child(node, segment)
    if (!step.found) return step
    node = step.value
  }
  return {found: true, value: node}
}

/**
 * Returns a copy of `tree` with `value` at `segments`. Missing parents are created (an array when
 * the next segment is a number, else an object); an index may equal the array's length (append)
 * but not exceed it. Throws CONFIG_PATH_INVALID when a step crosses a scalar or indexes past the end.
 */
export function setAtPath(tree: unknown, segments: readonly PathSegment[], value: unknown): unknown {
  return setFrom(tree, segments, 0, value)
}

function setFrom(node: unknown, segments: readonly PathSegment[], depth: number, value: unknown): unknown {
  if (depth === segments.length) return value
  const segment = segments[depth]
  const container = node === undefined ? (typeof segment === 'number' ? [] : {}) : node
  if (Array.isArray(container)) {
    if (typeof segment !== 'number') throw stepError(segments, `${describeAt(segments, depth)} is an array; index it with [n]`)
    if (segment > container.length) {
      throw stepError(segments, `${describeAt(segments, depth)} has ${container.length} entr${container.length === 1 ? 'y' : 'ies'}; use [${container.length}] to append`)
    }
    const copy = [...container]
    copy[segment] = setFrom(container[segment], segments, depth + 1, value)
    return copy
  }
  if (isPlainObject(container)) {
    const key = String(segment)
    const copy: Record<string, unknown> = {...container}
    setOwn(copy, key, setFrom(Object.hasOwn(container, key) ? container[key] : undefined, segments, depth + 1, value))
    return copy
  }
  throw stepError(segments, `${describeAt(segments, depth)} is ${kindOf(container)}, not an object or array`)
}

/** Returns a copy without the key or array element at `segments`; `removed` is false when it was absent. */
export function unsetAtPath(tree: unknown, segments: readonly PathSegment[]): {tree: unknown; removed: boolean} {
  if (segments.length === 0) return {tree, removed: false}
  const parentPath = segments.slice(0, -1)
  const parent = getAtPath(tree, parentPath)
  const last = segments[segments.length - 1]
  if (!parent.found) return {tree, removed: false}
  if (Array.isArray(parent.value)) {
    if (typeof last !== 'number' || last >= parent.value.length) return {tree, removed: false}
    const copy = parent.value.filter((_, index) => index !== last)
    return {tree: setAtPath(tree, parentPath, copy), removed: true}
  }
  if (isPlainObject(parent.value) && Object.hasOwn(parent.value, String(last))) {
    const copy: Record<string, unknown> = {...parent.value}
    delete copy[String(last)]
    return {tree: setAtPath(tree, parentPath, copy), removed: true}
  }
  return {tree, removed: false}
}

/** Structural equality of JSON values (key order ignored, array order significant). */
export function treesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, index) => treesEqual(item, b[index]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    return keys.every((key) => Object.hasOwn(b, key) && treesEqual(a[key], b[key]))
  }
  return Number.isNaN(a) && Number.isNaN(b)
}

/** `a string`, `a number`, `null`… for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (isPlainObject(value)) return 'an object'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function child(node: unknown, segment: PathSegment): Lookup {
  if (Array.isArray(node)) {
    return typeof segment === 'number' && segment < node.length ? {found: true, value: node[segment]} : {found: false}
  }
  if (isPlainObject(node)) {
    const key = String(segment)
    return Object.hasOwn(node, key) ? {found: true, value: node[key]} : {found: false}
  }
  return {found: false}
}

function describeAt(segments: readonly PathSegment[], depth: number): string {
  return depth === 0 ? 'the config root' : formatConfigPath(segments.slice(0, depth))
}

function stepError(segments: readonly PathSegment[], reason: string): AppError {
  return new AppError('CONFIG_PATH_INVALID', `cannot set ${formatConfigPath(segments)}: ${reason}`)
}
