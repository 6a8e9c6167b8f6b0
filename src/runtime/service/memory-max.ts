import {readFileSync} from 'node:fs'
import os from 'node:os'

import {AppError} from '../errors/app-error.js'

/**
 * `--memory-max auto|<size>|<pct>|none` (operations.md §4.3) and the Node heap derived from it:
 * `--max-old-space-size` = floor(60% of MemoryMax in MiB), leaving room for buffers and native
 * memory so the kernel's OOM killer never meets a heap that V8 still thinks it may grow.
 */

export type MemoryMaxSpec = {kind: 'auto'} | {kind: 'none'} | {kind: 'size'; bytes: number; text: string} | {kind: 'percent'; percent: number}

export interface MemoryFacts {
  /** Physical RAM, bytes. */
  physicalBytes: number
  /** The cgroup limit this process runs under, bytes; null when unlimited or unknown. */
  cgroupLimitBytes: number | null
}

export interface ResolvedMemory {
  /** The `MemoryMax=` value, or null to omit the line (`none`). */
  memoryMax: string | null
  memoryMaxMiB: number | null
  /** `--max-old-space-size` in MiB, or null with `none`. */
  heapMiB: number | null
}

const MIB = 1024 * 1024
const UNITS: Record<string, number> = {'': 1, K: 1024, M: MIB, G: 1024 * MIB, T: 1024 * 1024 * MIB}
const MIN_MIB = 128
const AUTO_MIN_MIB = 256
const AUTO_MAX_MIB = 1024

/** Parses the flag value; USAGE (exit 2) for anything else. */
export function parseMemoryMax(input: string): MemoryMaxSpec {
  const value = input.trim()
  if (value === 'auto') return {kind: 'auto'}
  if (value === 'none') return {kind: 'none'}
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value)
  if (percent !== null) {
    const n = Number(percent[1])
    if (n > 0 && n <= 100) return {kind: 'percent', percent: n}
  }
  const size = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(value)
  if (size !== null) {
    const unit = size[2]!.toUpperCase()
    const bytes = Math.floor(Number(size[1]) * UNITS[unit]!)
    if (bytes >= MIN_MIB * MIB) return {kind: 'size', bytes, text: `${size[1]}${unit}`}
    throw usage(`--memory-max ${input} is too small: the gateway needs at least ${MIN_MIB}M`)
  }
  throw usage(`--memory-max: expected auto, none, a size like 512M or 1G, or a percentage like 40%; got "${input}"`)
}

/** Turns the spec into the unit's `MemoryMax=` and the heap flag. Pure. */
export function resolveMemoryMax(spec: MemoryMaxSpec, facts: MemoryFacts): ResolvedMemory {
  if (spec.kind === 'none') return {memoryMax: null, memoryMaxMiB: null, heapMiB: null}
  const available = Math.min(facts.physicalBytes, facts.cgroupLimitBytes ?? Number.POSITIVE_INFINITY)
  let mib: number
  let text: string
  if (spec.kind === 'size') {
    mib = Math.floor(spec.bytes / MIB)
    text = spec.text
  } else if (spec.kind === 'percent') {
    mib = Math.max(MIN_MIB, Math.floor((available * spec.percent) / 100 / MIB))
    text = `${mib}M`
  } else {
    mib = Math.min(AUTO_MAX_MIB, Math.max(AUTO_MIN_MIB, Math.floor(available / 2 / MIB)))
    text = `${mib}M`
  }
  return {memoryMax: text, memoryMaxMiB: mib, heapMiB: Math.floor(mib * 0.6)}
}

/** Physical RAM and the cgroup v2 (or v1) memory limit of this process. */
export function readMemoryFacts(): MemoryFacts {
  return {physicalBytes: os.totalmem(), cgroupLimitBytes: readCgroupLimit()}
}

function readCgroupLimit(): number | null {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(file, 'utf8').trim()
      if (text === 'max') return null
      const n = Number(text)
      // cgroup v1 reports "unlimited" as a huge page-aligned number.
      if (Number.isFinite(n) && n > 0 && n < 2 ** 60) return n
      return null
    } catch {
      // not this cgroup version
    }
  }
  return null
}

function usage(message: string): AppError {
  return new AppError('USAGE', message, {hint: ['openclaw gateway install --memory-max auto', 'openclaw gateway install --memory-max 512M']})
}
