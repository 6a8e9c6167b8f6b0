import {mkdirSync, readdirSync, readFileSync, statSync, lstatSync} from 'node:fs'
import path from 'node:path'

import {writeFileAtomic} from '../state/atomic-write.js'
import {displayPath, resolveWorkspacePath} from './confine.js'
import {intArg, stringArg, textOutput, ToolError, type Tool, type ToolContext} from './tool.js'

const MAX_READ_BYTES = 10 * 1024 * 1024
const DEFAULT_READ_LINES = 2000
const MAX_LS_ENTRIES = 1000

function target(context: ToolContext, requested: string): string {
  return resolveWorkspacePath(context.workspace, requested, context.config.tools.fs.workspaceOnly)
}

function fsError(error: unknown, shown: string): never {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') throw new ToolError(`no such file: ${shown}`)
  if (code === 'EISDIR') throw new ToolError(`is a directory: ${shown}`)
  if (code === 'EACCES' || code === 'EPERM') throw new ToolError(`permission denied: ${shown}`)
  throw new ToolError(`${shown}: ${(error as Error).message}`)
}

function readText(file: string, shown: string): string {
  let size: number
  try {
    const stat = statSync(file)
    if (stat.isDirectory()) throw new ToolError(`is a directory: ${shown} (use ls)`)
    size = stat.size
  } catch (error) {
    if (error instanceof ToolError) throw error
    fsError(error, shown)
  }
  if (size > MAX_READ_BYTES) throw new ToolError(`file too large: ${shown} is ${size} bytes (limit ${MAX_READ_BYTES})`)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    fsError(error, shown)
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new ToolError(`binary file refused: ${shown}`)
  return bytes.toString('utf8').replace(/^\uFEFF/, '')
}

export const readTool: Tool = {
  name: 'read',
  group: 'fs',
  description: 'Read a text file in the workspace (lines from offset, up to limit lines).',
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string', description: 'File path, relative to the workspace'},
      offset: {type: 'integer', minimum: 1, description: 'First line to read (1-based)'},
      limit: {type: 'integer', minimum: 1, description: 'Max lines (default 2000)'},
    },
    required: ['path'],
  },
  async run(args, context) {
    const requested = stringArg(args, 'path', {})
    const file = target(context, requested)
    const offset = intArg(args, 'offset', 1, Number.MAX_SAFE_INTEGER) ?? 1
    const limit = intArg(args, 'limit', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_READ_LINES
    const lines = readText(file, requested).split('\n')
    if (offset > lines.length && !(offset === 1 && lines.length === 1)) throw new ToolError(`offset ${offset} is past the end of ${requested} (${lines.length} lines)`)
    const slice = lines.slice(offset - 1, offset - 1 + limit)
    const more = offset - 1 + limit < lines.length ? `\n[… ${lines.length - (offset - 1 + limit)} more lines; read with offset ${offset + limit} …]` : ''
    return textOutput(slice.join('\n') + more)
  },
}

export const writeTool: Tool = {
  name: 'write',
  group: 'fs',
  description: 'Create or overwrite a file in the workspace (parent directories are created).',
  parameters: {
    type: 'object',
    properties: {path: {type: 'string', description: 'File path, relative to the workspace'}, content: {type: 'string', description: 'The whole new file content'}},
    required: ['path', 'content'],
  },
  async run(args, context) {
    const requested = stringArg(args, 'path', {})
    const content = stringArg(args, 'content', {})
    const file = target(context, requested)
    try {
      mkdirSync(path.dirname(file), {recursive: true})
      writeFileAtomic(file, content, {mode: 0o644})
    } catch (error) {
      fsError(error, requested)
    }
    return textOutput(`wrote ${Buffer.byteLength(content)} bytes to ${displayPath(context.workspace, file)}`)
  },
}

export const editTool: Tool = {
  name: 'edit',
  group: 'fs',
  description: 'Replace exact text in a workspace file (oldText must occur exactly once unless replaceAll).',
  parameters: {
    type: 'object',
    properties: {
      path: {type: 'string', description: 'File path, relative to the workspace'},
      oldText: {type: 'string', description: 'Exact text to replace'},
      newText: {type: 'string', description: 'Replacement text'},
      replaceAll: {type: 'boolean', description: 'Replace every occurrence'},
    },
    required: ['path', 'oldText', 'newText'],
  },
  async run(args, context) {
    const requested = stringArg(args, 'path', {})
    const oldText = stringArg(args, 'oldText', {})
    const newText = stringArg(args, 'newText', {})
    if (oldText === '') throw new ToolError('oldText must not be empty')
    const file = target(context, requested)
    const text = readText(file, requested)
    const count = text.split(oldText).length - 1
    if (count === 0) throw new ToolError(`oldText not found in ${requested}`)
    if (count > 1 && args.replaceAll !== true) throw new ToolError(`oldText occurs ${count} times in ${requested}; make it unique or pass replaceAll`)
    const next = args.replaceAll === true ? text.split(oldText).join(newText) : text.replace(oldText, () => newText)
    try {
      writeFileAtomic(file, next, {mode: statSync(file).mode & 0o777})
    } catch (error) {
      fsError(error, requested)
    }
    return textOutput(`replaced ${args.replaceAll === true ? count : 1} occurrence${count > 1 && args.replaceAll === true ? 's' : ''} in ${displayPath(context.workspace, file)}`)
  },
}

export const lsTool: Tool = {
  name: 'ls',
  group: 'fs',
  description: 'List a workspace directory: name, type and size (depth 1-3).',
  parameters: {
    type: 'object',
    properties: {path: {type: 'string', description: 'Directory, relative to the workspace (default .)'}, depth: {type: 'integer', minimum: 1, maximum: 3, description: 'Levels to list (default 1)'}},
  },
  async run(args, context) {
    const requested = stringArg(args, 'path', {optional: true}) ?? '.'
    const depth = intArg(args, 'depth', 1, 3) ?? 1
    const root = target(context, requested)
    const lines: string[] = []
    let truncated = false
    const walk = (dir: string, level: number) => {
      let entries
      try {
        entries = readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))
      } catch (error) {
        if (level === 1) fsError(error, requested)
        return
      }
      for (const entry of entries) {
        if (lines.length >= MAX_LS_ENTRIES) {
          truncated = true
          return
        }
        const full = path.join(dir, entry.name)
        const rel = path.relative(root, full)
        const type = entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other'
        const size = type === 'file' ? lstatSync(full).size : undefined
        lines.push(`${type}\t${size ?? '-'}\t${rel}${type === 'dir' ? '/' : ''}`)
        if (type === 'dir' && level < depth) walk(full, level + 1)
      }
    }
    walk(root, 1)
    if (lines.length === 0) return textOutput(`(empty directory: ${requested})`)
    return textOutput(['type\tsize\tname', ...lines, ...(truncated ? [`[… listing stopped at ${MAX_LS_ENTRIES} entries …]`] : [])].join('\n'))
  },
}
