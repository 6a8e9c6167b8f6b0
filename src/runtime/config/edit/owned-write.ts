import {createHash} from 'node:crypto'
import {existsSync, lstatSync, readFileSync, realpathSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../../errors/app-error.js'
import {envValue, tildify, type Env} from '../../paths.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import {ensureDir} from '../../state/ensure-state-dir.js'
import {acquireFileLock, type FileLock} from '../../state/file-lock.js'
import {fsErrorCause, fsErrorCheckCommand} from '../../state/fs-errors.js'
import {sweepStaleTemps} from '../../state/stale-temps.js'
import {isPlainObject, setOwn} from '../deep-merge.js'
import {describeReadFailure, MAX_CONFIG_BYTES, readJson5File, stripBom} from '../json5-file.js'
import {keepBackups} from './backup-ring.js'
import {treesEqual} from './tree-ops.js'

/** How long an owned write waits for `<config>.lock`, and when a lock counts as abandoned (config.md §10.3). */
export const CONFIG_LOCK_WAIT_MS = 5000
export const CONFIG_LOCK_STALE_MS = 30_000

export interface OwnedWriteContext {
  configPath: string
  /** Used to show paths as `~/…` in messages. */
  home: string
  /** Read for OPENCLAW_CONFIG_READONLY. */
  env: Env
  /** openclaw's version, stamped into `meta.lastTouchedVersion`. */
  version: string
  /** Compute and validate the edit, but write nothing (no lock, no `.bak`). */
  dryRun?: boolean
  /** Clock for `meta.lastTouchedAt`; tests pass a fixed one. */
  now?: () => Date
  lockWaitMs?: number
  /** A file that does not parse (or whose root is not an object) is replaced instead of refused: the edit sees `{}` (the gateway's config.set/apply). */
  replaceUnparsable?: boolean
}

/** The config file as read under the lock: what the edit works on. */
export interface CurrentConfigFile {
  exists: boolean
  /** The top file parsed, `$include` sites intact; `{}` when the file is missing. */
  topTree: Record<string, unknown>
  /** SHA-256 (hex) of its bytes; null when missing. */
  hash: string | null
}

/** What an edit callback returns: the new top tree, and anything it wants handed back. */
export interface EditStep<T> {
  tree: Record<string, unknown>
  info: T
}

export interface OwnedWriteResult<T> {
  /** False when the edit produced a tree equal to the current one: nothing was written. */
  changed: boolean
  configPath: string
  /** `<config>.bak` when this write made one. */
  backup: string | null
  dryRun: boolean
  before: CurrentConfigFile
  /** The tree written (or that would be), `meta` stamp included; the old tree when unchanged. */
  after: Record<string, unknown>
  warnings: string[]
  info: T
}

/**
 * The owned-write pipeline of config.md §10.3, shared by every writer of the config (CLI,
 * gateway RPC, doctor, wizard): refuse under OPENCLAW_CONFIG_READONLY=1; take `<config>.lock`
 * (waits 5 s; stale after 30 s or when its PID is dead); read the file and its hash; run `edit`
 * (which validates and throws its refusals); stop when the tree is unchanged (no write, no stamp,
 * no `.bak`); stamp `meta`; serialise as 2-space JSON (key order kept, new keys last, trailing
 * newline); re-check the hash; copy the old file to `<config>.bak` (0600); write atomically
 * (0600, through a symlink to its target; parent dir created 0700). Warns when the old file used
 * JSON5 features that plain JSON drops.
 */
export async function writeOwnedConfig<T>(ctx: OwnedWriteContext, edit: (current: CurrentConfigFile) => EditStep<T> | Promise<EditStep<T>>): Promise<OwnedWriteResult<T>> {
  const dryRun = ctx.dryRun === true
  const shown = tildify(ctx.configPath, ctx.home)
  if (!dryRun && envValue(ctx.env, 'OPENCLAW_CONFIG_READONLY') === '1') {
    throw new AppError('CONFIG_READONLY', 'config is read-only (OPENCLAW_CONFIG_READONLY=1)', {
      hint: ['Unset it to allow writes: unset OPENCLAW_CONFIG_READONLY', `Or edit the file by hand: ${shown}`],
    })
  }
  const dir = path.dirname(ctx.configPath)
  // Nothing to lock against when the directory does not exist yet; it is created (and locked) only if there is something to write.
  let lock: FileLock | undefined = !dryRun && existsSync(dir) ? await lockConfig(ctx, shown) : undefined
  try {
    const before = readCurrent(ctx.configPath, shown, ctx.replaceUnparsable === true)
    const step = await edit(before)
    const base: OwnedWriteResult<T> = {changed: false, configPath: ctx.configPath, backup: null, dryRun, before, after: before.topTree, warnings: [], info: step.info}
    if (treesEqual(before.topTree, step.tree)) return base
    const after = stampMeta(step.tree, ctx)
    const text = JSON.stringify(after, null, 2) + '\n'
    const result: OwnedWriteResult<T> = {...base, changed: true, after}
    if (dryRun) return result
    if (lock === undefined) {
      try {
        ensureDir(dir, 0o700)
      } catch (error) {
        throw writeFailed(shown, `cannot create ${tildify(dir, ctx.home)}`, error, dir, ctx.home)
      }
      lock = await lockConfig(ctx, shown)
    }
    // Temp files of writers killed mid-write (each a full copy of the config) go before we add ours.
    sweepStaleTemps(dir)
    const oldBytes = readBytes(ctx.configPath)
    if (hashOf(oldBytes) !== before.hash) {
      throw new AppError('CONFIG_CHANGED', 'config changed on disk while writing; re-run the command', {hint: ['Check what changed: openclaw config validate']})
    }
    try {
      if (oldBytes !== null) result.backup = keepBackups(ctx.configPath, oldBytes).backup
      writeFileAtomic(ctx.configPath, text, {mode: 0o600})
    } catch (error) {
      throw writeFailed(shown, undefined, error, dir, ctx.home)
    }
    if (oldBytes !== null && usedJson5Features(oldBytes)) {
      result.warnings.push(`${shown} used JSON5 features (comments, trailing commas, unquoted keys); they are not kept when openclaw writes the file. Your hand-written version is kept in ${shown}.hand.bak (until you edit the file by hand again)`)
    }
    return result
  } finally {
    lock?.release()
  }
}

/** SHA-256 (hex) of a file's bytes, null for a missing file. */
export function hashOf(bytes: Buffer | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex')
}

/** CONFIG_WRITE_FAILED naming the file, the step, and the machine's cause; the config is untouched. */
function writeFailed(shown: string, step: string | undefined, error: unknown, dir: string, home: string): AppError {
  const cause = fsErrorCause(error) ?? describeFsError(error)
  return new AppError('CONFIG_WRITE_FAILED', `could not write ${shown}${step === undefined ? '' : ` (${step})`}: ${cause}; the config is unchanged`, {
    hint: [`Check the directory: ${fsErrorCheckCommand(error, tildify(dir, home))}`, 'Then retry the command'],
    cause: error,
  })
}

async function lockConfig(ctx: OwnedWriteContext, shown: string): Promise<FileLock> {
  const lockPath = `${ctx.configPath}.lock`
  try {
    return await takeConfigLock(ctx, lockPath)
  } catch (error) {
    if (fsErrorCause(error) === undefined) throw error
    throw writeFailed(shown, `cannot create the lock ${tildify(lockPath, ctx.home)}`, error, path.dirname(lockPath), ctx.home)
  }
}

function takeConfigLock(ctx: OwnedWriteContext, lockPath: string): Promise<FileLock> {
  return acquireFileLock(lockPath, {
    timeoutMs: ctx.lockWaitMs ?? CONFIG_LOCK_WAIT_MS,
    staleMs: CONFIG_LOCK_STALE_MS,
    onTimeout: (holder) =>
      new AppError('CONFIG_LOCKED', `config is locked by ${holder === null ? 'another process' : `pid ${holder.pid}`}; retry`, {
        hint: ['Retry in a moment', `If no openclaw process is running, remove the lock: rm ${tildify(lockPath, ctx.home)}`],
      }),
  })
}

function readCurrent(configPath: string, shown: string, replaceUnparsable: boolean): CurrentConfigFile {
  const read = readJson5File(configPath, MAX_CONFIG_BYTES, {emptyAs: {}})
  if (replaceUnparsable && read.bytes !== undefined && (!read.ok || !isPlainObject(read.value))) {
    refuseForeignTarget(configPath, shown, read.bytes)
    return {exists: true, topTree: {}, hash: hashOf(read.bytes)}
  }
  if (read.ok) {
    if (!isPlainObject(read.value)) {
      throw new AppError('CONFIG_PARSE', `${shown} can't be edited: its root must be an object`, {hint: [`Fix the file by hand: ${shown}`, 'Then check it: openclaw config validate']})
    }
    return {exists: true, topTree: read.value, hash: hashOf(read.bytes)}
  }
  const {failure} = read
  if (failure.kind === 'missing') return {exists: false, topTree: {}, hash: null}
  if (failure.kind === 'parse') {
    throw new AppError('CONFIG_PARSE', `${shown} can't be edited: it does not parse: ${describeReadFailure(failure, shown, 'config files')}`, {
      hint: [`Fix the syntax by hand: ${shown}`, 'Then check it: openclaw config validate'],
    })
  }
  throw new AppError('CONFIG_READ_FAILED', `${shown} can't be edited: ${describeReadFailure(failure, shown, 'config files')}`, {
    hint: [`Check the file: ls -l ${shown}`],
  })
}

/**
 * Replacing an unparsable config is how the RPCs recover a broken file, but never when the file
 * is reached through a symlink (the target may be any file: as root, a system file) or does not
 * look like a config at all (issue 6, defect 4).
 */
function refuseForeignTarget(configPath: string, shown: string, bytes: Buffer): void {
  let linked = false
  try {
    linked = lstatSync(configPath).isSymbolicLink()
  } catch {
    // Gone since the read: the write's hash check reports it.
  }
  if (!linked && looksLikeConfig(bytes)) return
  const target = linked ? realpathOr(configPath) : undefined
  const what = linked ? `is a symlink to ${target}, which is not a parsable config` : 'does not look like a config file (no JSON5 object)'
  throw new AppError('CONFIG_EDIT_REFUSED', `${shown} ${what}; refusing to replace it`, {
    hint: linked ? [`Check the link: ls -l ${shown}`, `If the config belongs elsewhere, point the link there or remove it: rm ${shown}`] : [`Fix or move the file by hand: ${shown}`, 'Then check it: openclaw config validate'],
    details: {path: configPath, target},
  })
}

/** Text whose first token (after a BOM, whitespace and comments) opens an object, with no NUL bytes. */
export function looksLikeConfig(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false
  const text = stripBom(bytes.toString('utf8')).replace(/^(?:\s+|\/\/[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '')
  return text === '' || text.startsWith('{')
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

function readBytes(file: string): Buffer | null {
  try {
    return readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new AppError('CONFIG_READ_FAILED', `cannot re-read ${file}: ${describeFsError(error)}`, {cause: error})
  }
}

/** `meta.lastTouchedVersion` / `lastTouchedAt` (config.md §7.9); a non-object `meta` is left for validation to report. */
function stampMeta(tree: Record<string, unknown>, ctx: OwnedWriteContext): Record<string, unknown> {
  const current = tree.meta
  if (current !== undefined && !isPlainObject(current)) return tree
  const meta: Record<string, unknown> = {...current}
  setOwn(meta, 'lastTouchedVersion', ctx.version)
  setOwn(meta, 'lastTouchedAt', (ctx.now?.() ?? new Date()).toISOString())
  const out: Record<string, unknown> = {...tree}
  setOwn(out, 'meta', meta)
  return out
}

/** True when the text is JSON5 but not JSON (comments, trailing commas, unquoted keys, single quotes). */
function usedJson5Features(bytes: Buffer): boolean {
  const text = stripBom(bytes.toString('utf8'))
  if (text.trim() === '') return false
  try {
    JSON.parse(text)
    return false
  } catch {
    return true
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ENOSPC') return 'no space left on the device'
  if (code === 'EROFS') return 'read-only file system'
  return code ?? (error instanceof Error ? error.message : String(error))
}
