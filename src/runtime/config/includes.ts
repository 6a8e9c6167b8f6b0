import {realpathSync} from 'node:fs'
import path from 'node:path'

import {expandHome} from '../paths.js'
import {deepMerge, isPlainObject, setOwn} from './deep-merge.js'
import {formatConfigPath, type ConfigIssue, type PathSegment} from './issues.js'
import {describeReadFailure, readJson5File} from './json5-file.js'
import {json5Positions, nearestPosition, type TextPosition} from './json5-positions.js'

/** Includes may nest this many levels below the top config (config.md §5). */
export const MAX_INCLUDE_DEPTH = 10
/** Longest `$include` path accepted, in characters. */
export const MAX_INCLUDE_PATH_CHARS = 4096

export interface IncludeContext {
  /** Absolute path of the top config file; relative includes in it resolve against its directory. */
  topFile: string
  /** Extra directories included files may live in (OPENCLAW_INCLUDE_ROOTS). */
  includeRoots: readonly string[]
  /** Expands a leading `~` in include paths. */
  home: string
  /** The top file's text, when there is one: include issues in it get a line and column. */
  topText?: string | null
}

/** Which file a config path's value was written in, and at what depth that file's content is mounted. */
export interface ValueSource {
  file: string
  /** How many leading path segments belong to the include site: the path inside `file` is the rest. */
  mount: number
}

export interface IncludeResult {
  /** The tree with every include site replaced by its (merged) content. */
  tree: Record<string, unknown>
  /** Rendered config path -> absolute included file, for every value an include brought in. */
  origins: Map<string, string>
  /** Every included file (absolute, as resolved, not realpath'ed), in discovery order, including ones that failed to load. */
  files: string[]
  issues: ConfigIssue[]
  /**
   * Rendered config path -> where it was written, for every path under an include site (sibling
   * keys beside a `$include` included: they name the including file). A path without an entry,
   * nor an ancestor with one, was written in the top file at the same path.
   */
  sources: Map<string, ValueSource>
  /** The text of every included file that loaded, by absolute path (for locating issues). */
  texts: Map<string, string>
}

interface ChainEntry {
  file: string
  real: string
  /** Path depth at which this file's content is mounted (0 for the top file). */
  mount: number
}

/** Sources of the paths inside one resolved node; a path with no entry came from the node's own file. */
type Origins = Map<string, ValueSource>

/** True when an object anywhere in `value` has a `$include` key. */
export function containsInclude(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsInclude)
  if (value === null || typeof value !== 'object') return false
  if (Object.hasOwn(value, '$include')) return true
  return Object.values(value).some(containsInclude)
}

/**
 * Resolves every `$include` site in `tree`, the parsed top config (config.md §5): string and
 * array forms, sibling keys deep-merged over, paths relative to the including file and confined
 * (after realpath) to the top config's directory or an include root, a depth limit, cycle
 * detection and a size cap per file. Problems become CONFIG_INCLUDE issues at `<path>.$include`;
 * a failed include contributes nothing, and the rest of the tree is still resolved.
 */
export function resolveIncludes(tree: Record<string, unknown>, ctx: IncludeContext): IncludeResult {
  if (!containsInclude(tree)) return {tree, origins: new Map(), files: [], issues: [], sources: new Map(), texts: new Map()}
  const resolver = new IncludeResolver(ctx)
  const top: ChainEntry = {file: ctx.topFile, real: realpathOrSelf(ctx.topFile), mount: 0}
  const {value, origins: sources} = resolver.resolveNode(tree, [], [top])
  // `origins` keeps its older meaning: only values an included file brought in.
  const origins = new Map<string, string>()
  for (const [p, source] of sources) if (source.file !== ctx.topFile) origins.set(p, source.file)
  return {tree: value as Record<string, unknown>, origins, files: resolver.files, issues: resolver.issues, sources, texts: resolver.texts}
}

class IncludeResolver {
  readonly issues: ConfigIssue[] = []
  readonly files: string[] = []
  readonly texts = new Map<string, string>()
  private readonly positions = new Map<string, Map<string, TextPosition>>()
  private readonly topDir: string
  private allowedDirs: string[] | undefined

  constructor(private readonly ctx: IncludeContext) {
    this.topDir = path.dirname(ctx.topFile)
  }

  resolveNode(value: unknown, segments: PathSegment[], chain: ChainEntry[]): {value: unknown; origins: Origins} {
    const origins: Origins = new Map()
    if (Array.isArray(value)) {
      const out = value.map((item, index) => {
        const child = this.resolveNode(item, [...segments, index], chain)
        for (const [p, f] of child.origins) origins.set(p, f)
        return child.value
      })
      return {value: out, origins}
    }
    if (!isPlainObject(value)) return {value, origins}
    if (Object.hasOwn(value, '$include')) return this.resolveSite(value, segments, chain)
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const child = this.resolveNode(item, [...segments, key], chain)
      for (const [p, f] of child.origins) origins.set(p, f)
      setOwn(out, key, child.value)
    }
    return {value: out, origins}
  }

  private resolveSite(site: Record<string, unknown>, segments: PathSegment[], chain: ChainEntry[]): {value: unknown; origins: Origins} {
    const {$include: spec, ...siblingsRaw} = site
    const hasSiblings = Object.keys(siblingsRaw).length > 0
    const siblings = this.resolveNode(siblingsRaw, segments, chain)
    const isArrayForm = Array.isArray(spec)
    if (!(typeof spec === 'string' || (isArrayForm && spec.every((s) => typeof s === 'string')))) {
      this.issue(segments, chain, '$include must be a string or an array of strings')
      return siblings
    }
    let base: {value: unknown; origins: Origins} | undefined
    for (const one of isArrayForm ? (spec as string[]) : [spec]) {
      const loaded = this.loadInclude(one, segments, chain)
      if (loaded === undefined) continue
      if ((isArrayForm || hasSiblings) && !isPlainObject(loaded.value)) {
        this.issue(segments, chain, `${one} must contain an object when $include has sibling keys or is an array`)
        continue
      }
      base = base === undefined ? loaded : mergeWithOrigins(base, loaded, segments)
    }
    if (base === undefined) return siblings
    if (!hasSiblings) return base
    const including = chain.at(-1) as ChainEntry
    return mergeWithOrigins(base, siblings, segments, {file: including.file, mount: including.mount})
  }

  /** Loads one included file and resolves the includes inside it; undefined (with an issue) on failure. */
  private loadInclude(spec: string, segments: PathSegment[], chain: ChainEntry[]): {value: unknown; origins: Origins} | undefined {
    if (spec.includes('\0')) return this.issue(segments, chain, '$include path contains a NUL byte')
    if (spec.length > MAX_INCLUDE_PATH_CHARS) return this.issue(segments, chain, `$include path is longer than ${MAX_INCLUDE_PATH_CHARS} characters`)
    const including = chain.at(-1) as ChainEntry
    const file = path.resolve(path.dirname(including.file), expandHome(spec, this.ctx.home))
    if (!this.files.includes(file)) this.files.push(file)
    let real: string
    try {
      real = realpathSync.native(file)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return this.issue(segments, chain, `file not found: ${spec} (resolved to ${file})`)
      return this.issue(segments, chain, `cannot read ${spec}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error))}`)
    }
    if (!this.isAllowed(real)) {
      return this.issue(segments, chain, `${spec} resolves outside ${this.topDir}; add its directory to OPENCLAW_INCLUDE_ROOTS to allow it`)
    }
    const entry: ChainEntry = {file, real, mount: segments.length}
    const names = [...chain, entry].map((e, i) => (i === 0 ? path.basename(e.file) : this.display(e.file)))
    if (chain.some((e) => e.real === real)) return this.issue(segments, chain, `circular include: ${names.join(' -> ')}`)
    if (chain.length > MAX_INCLUDE_DEPTH) {
      const shown = names.length > 4 ? [names[0], names[1], '...', names.at(-1)] : names
      return this.issue(segments, chain, `includes nested deeper than ${MAX_INCLUDE_DEPTH} levels: ${shown.join(' -> ')}`)
    }
    const read = readJson5File(real)
    if (!read.ok) {
      const message = read.failure.kind === 'missing' ? `file not found: ${spec} (resolved to ${file})` : describeReadFailure(read.failure, spec, 'included files')
      return this.issue(segments, chain, message)
    }
    this.texts.set(file, read.text)
    const inner = this.resolveNode(read.value, segments, [...chain, entry])
    // Every path of the included value came from this file unless a nested include says otherwise.
    const origins: Origins = new Map()
    const own: ValueSource = {file, mount: segments.length}
    forEachPath(inner.value, segments, (p) => origins.set(p, inner.origins.get(p) ?? own))
    return {value: inner.value, origins}
  }

  private isAllowed(real: string): boolean {
    this.allowedDirs ??= [this.topDir, ...this.ctx.includeRoots].map(realpathOrSelf)
    return this.allowedDirs.some((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep))
  }

  /** How a file appears in cycle/depth chains: relative to the top config's directory when inside it. */
  private display(file: string): string {
    const rel = path.relative(this.topDir, file)
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
  }

  private issue(segments: PathSegment[], chain: ChainEntry[], message: string): undefined {
    const including = chain.at(-1) as ChainEntry
    const issue: ConfigIssue = {path: formatConfigPath([...segments, '$include']), message, code: 'CONFIG_INCLUDE', file: including.file}
    const at = this.positionIn(including, [...segments.slice(including.mount), '$include'])
    if (at !== undefined) Object.assign(issue, {line: at.line, column: at.column})
    this.issues.push(issue)
    return undefined
  }

  /** Where `inner` (a path inside the file) is written in `entry`'s text, when the text is at hand. */
  private positionIn(entry: ChainEntry, inner: PathSegment[]): TextPosition | undefined {
    const text = entry.mount === 0 && entry.file === this.ctx.topFile ? this.ctx.topText : this.texts.get(entry.file)
    if (text === undefined || text === null) return undefined
    let positions = this.positions.get(entry.file)
    if (positions === undefined) {
      positions = json5Positions(text)
      this.positions.set(entry.file, positions)
    }
    return nearestPosition(positions, inner)
  }
}

/**
 * Deep-merges `over` onto `base` and works out where each resulting path came from: a path
 * `over` sets takes `over`'s origin (none = the including file); an object both sides hold keeps
 * `base`'s origin (it was brought in by the include); the rest keep `base`'s.
 */
function mergeWithOrigins(
  base: {value: unknown; origins: Origins},
  over: {value: unknown; origins: Origins},
  segments: PathSegment[],
  overDefault?: ValueSource,
): {value: unknown; origins: Origins} {
  const value = deepMerge(base.value, over.value)
  const origins: Origins = new Map()
  // A path `over` sets without an origin of its own was written beside the `$include`: say so
  // explicitly, or the nearest ancestor's entry (the included file) would claim it.
  const copy = (from: Origins, node: unknown, at: PathSegment[]) =>
    forEachPath(node, at, (p) => {
      const file = from.get(p) ?? (from === over.origins ? overDefault : undefined)
      if (file !== undefined) origins.set(p, file)
    })
  const walk = (b: unknown, o: unknown, at: PathSegment[]) => {
    if (isPlainObject(b) && isPlainObject(o)) {
      const p = formatConfigPath(at)
      const file = base.origins.get(p) ?? over.origins.get(p)
      if (file !== undefined) origins.set(p, file)
      for (const key of new Set([...Object.keys(b), ...Object.keys(o)])) {
        if (!Object.hasOwn(o, key)) copy(base.origins, b[key], [...at, key])
        else if (!Object.hasOwn(b, key)) copy(over.origins, o[key], [...at, key])
        else walk(b[key], o[key], [...at, key])
      }
      return
    }
    copy(over.origins, o, at)
  }
  walk(base.value, over.value, segments)
  return {value, origins}
}

/** Calls `fn` with the rendered path of `node` and of every key and index below it. */
function forEachPath(node: unknown, at: PathSegment[], fn: (p: string) => void): void {
  fn(formatConfigPath(at))
  if (Array.isArray(node)) node.forEach((item, index) => forEachPath(item, [...at, index], fn))
  else if (isPlainObject(node)) for (const [key, item] of Object.entries(node)) forEachPath(item, [...at, key], fn)
}

function realpathOrSelf(dir: string): string {
  try {
    return realpathSync.native(dir)
  } catch {
    return path.resolve(dir)
  }
}
