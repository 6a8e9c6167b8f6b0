import {lstatSync, readlinkSync, realpathSync} from 'node:fs'
import path from 'node:path'

import {ToolError} from './tool.js'

/**
 * Resolves a file-tool path against the workspace (runtime.md §8.8): the real path of the target,
 * or of its deepest existing ancestor, must lie inside the workspace's real path, so `..`,
 * absolute paths elsewhere and symlinks leading out all fail with `path outside workspace: <p>`.
 * Returns the absolute (lexical) path to operate on. `workspaceOnly: false` lifts the check.
 */
export function resolveWorkspacePath(workspace: string, requested: string, workspaceOnly = true): string {
  if (requested.includes('\0')) throw new ToolError(`invalid path: ${JSON.stringify(requested)}`)
  const target = path.resolve(workspace, requested)
  if (!workspaceOnly) return target
  let root: string
  try {
    root = realpathSync(workspace)
  } catch {
    throw new ToolError(`workspace does not exist: ${workspace}`)
  }
  const real = realOfDeepestExisting(target)
  if (real !== root && !real.startsWith(root + path.sep)) throw new ToolError(`path outside workspace: ${requested}`)
  return target
}

/**
 * realpath of `p`, or of its deepest existing ancestor joined with the rest. A dangling symlink
 * on the way is followed by hand (realpath fails on it, yet a write would create its target).
 */
function realOfDeepestExisting(p: string, depth = 0): string {
  const rest: string[] = []
  let current = p
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest.reverse())
    } catch {
      const link = danglingLinkTarget(current)
      if (link !== undefined && depth < 40) return path.join(realOfDeepestExisting(link, depth + 1), ...rest.reverse())
      const parent = path.dirname(current)
      if (parent === current) return p
      rest.push(path.basename(current))
      current = parent
    }
  }
}

function danglingLinkTarget(p: string): string | undefined {
  try {
    if (!lstatSync(p).isSymbolicLink()) return undefined
    return path.resolve(path.dirname(p), readlinkSync(p))
  } catch {
    return undefined
  }
}

/** The path as the model should see it: relative to the workspace when inside it. */
export function displayPath(workspace: string, absolute: string): string {
  const relative = path.relative(workspace, absolute)
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative
}
