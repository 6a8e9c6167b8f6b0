import path from 'node:path'

import {tryParseConfigPath} from './edit/path-syntax.js'
import type {ValueSource} from './includes.js'
import {formatConfigPath, type ConfigIssue, type PathSegment} from './issues.js'
import {json5Positions, nearestPosition, type TextPosition} from './json5-positions.js'

export interface IssueSourceMap {
  topFile: string
  /** The top file's text; null when the tree being checked was never written (an edit's candidate). */
  topText: string | null
  /** From `resolveIncludes`: where each path under an include site was written. */
  sources: ReadonlyMap<string, ValueSource>
  /** From `resolveIncludes`: the text of every included file. */
  texts: ReadonlyMap<string, string>
}

/**
 * Names the file that holds each issue's offending key, with its line and column (issue 9 item
 * 8): the deepest path of the issue that a source entry covers decides the file (a key written
 * beside a `$include` is the including file's), and the key's position in that file's text is
 * the issue's, or its nearest ancestor's when the key itself is absent (a missing required key).
 * Issues already located (include issues, parse errors) are left alone. Returns new objects.
 */
export function locateIssues(issues: readonly ConfigIssue[], map: IssueSourceMap): ConfigIssue[] {
  const locate = pathLocator(map)
  return issues.map((issue) => {
    if (issue.line !== undefined || issue.code === 'CONFIG_INCLUDE' || issue.path === '') return issue
    const segments = tryParseConfigPath(issue.path)
    return segments === null ? issue : {...issue, ...locate(segments)}
  })
}

export interface PathLocation {
  file: string
  line?: number
  column?: number
}

/** Where a config path is written: its file, and its (or its nearest written ancestor's) line and column. */
export function pathLocator(map: IssueSourceMap): (segments: readonly PathSegment[]) => PathLocation {
  const cache = new Map<string, Map<string, TextPosition>>()
  const positionsOf = (file: string): Map<string, TextPosition> | undefined => {
    const text = file === map.topFile ? map.topText : map.texts.get(file)
    if (text === null || text === undefined) return undefined
    let positions = cache.get(file)
    if (positions === undefined) {
      positions = json5Positions(text)
      cache.set(file, positions)
    }
    return positions
  }
  return (segments) => {
    const source = sourceOf(map.sources, segments) ?? {file: map.topFile, mount: 0}
    const inner = segments.slice(source.mount)
    const positions = positionsOf(source.file)
    const at = positions === undefined ? undefined : nearestPosition(positions, inner)
    // The root's position (line 1) says nothing when no part of the path is in the file.
    if (at === undefined || (inner.length > 0 && at === positions?.get(''))) return {file: source.file}
    return {file: source.file, line: at.line, column: at.column}
  }
}

/** `openclaw.json:3:5` (relative to the config's directory when inside it), for one-line warnings. */
export function shortLocation(location: PathLocation, configDir: string): string {
  const rel = path.relative(configDir, location.file)
  const name = rel.startsWith('..') || path.isAbsolute(rel) ? location.file : rel
  return location.line === undefined ? name : `${name}:${location.line}:${location.column}`
}

function sourceOf(sources: ReadonlyMap<string, ValueSource>, segments: readonly PathSegment[]): ValueSource | undefined {
  if (sources.size === 0) return undefined
  for (let n = segments.length; n >= 0; n--) {
    const found = sources.get(formatConfigPath(segments.slice(0, n)))
    if (found !== undefined) return found
  }
  return undefined
}
