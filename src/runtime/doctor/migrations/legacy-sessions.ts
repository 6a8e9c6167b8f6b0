import {existsSync, readFileSync, renameSync, rmdirSync, unlinkSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../../config/deep-merge.js'
import {tildify} from '../../paths.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import {ensureDir} from '../../state/ensure-state-dir.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'
import {listDir, lstatOrNull} from '../fs-inspect.js'
import {canonicalLegacyKey} from './session-keys.js'

type Entries = Record<string, Record<string, unknown>>

/** What moving `<state>/sessions/` into the default agent would do. */
interface SessionsPlan {
  index: Entries
  /** Keys that stay as written (group keys without a channel), reported. */
  kept: string[]
  renamed: Array<[string, string]>
}

function readIndex(file: string): Entries | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return isPlainObject(value) ? (value as Entries) : null
  } catch {
    return null
  }
}

/** Canonical keys over `existing`; on a collision the newer `updatedAt` wins and the other is kept under `<key>:legacy-<n>`. */
export function planSessions(legacy: Entries, existing: Entries, agentId: string, fromDir: string, toDir: string): SessionsPlan {
  const index: Entries = {...existing}
  const kept: string[] = []
  const renamed: Array<[string, string]> = []
  for (const [key, raw] of Object.entries(legacy)) {
    const entry = isPlainObject(raw) ? {...raw} : {}
    if (typeof entry.sessionFile === 'string' && path.dirname(entry.sessionFile) === fromDir) entry.sessionFile = path.join(toDir, path.basename(entry.sessionFile))
    const canonical = canonicalLegacyKey(key, agentId, entry)
    const target = canonical ?? key
    if (canonical === null) kept.push(key)
    else if (canonical !== key) renamed.push([key, canonical])
    const current = index[target]
    if (current === undefined) index[target] = entry
    else {
      const newer = Number(entry.updatedAt ?? 0) > Number(current.updatedAt ?? 0)
      let n = 1
      while (index[`${target}:legacy-${n}`] !== undefined) n++
      index[`${target}:legacy-${n}`] = newer ? current : entry
      if (newer) index[target] = entry
    }
  }
  return {index, kept, renamed}
}

export const legacySessionsCheck: DoctorCheck = {
  id: 'state.legacy-sessions',
  title: 'Legacy sessions dir',
  lint: true,
  inspect: (ctx) => {
    const from = path.join(ctx.paths.stateDir, 'sessions')
    if (lstatOrNull(from)?.isDirectory() !== true) return {status: 'pass', message: 'no legacy sessions dir'}
    const agentId = ctx.defaultAgentId()
    const to = path.join(ctx.paths.stateDir, 'agents', agentId, 'sessions')
    const shown = tildify(from, ctx.paths.home)
    return {
      status: 'warn',
      message: `${shown} holds sessions of the old layout (${listDir(from).length} files)`,
      fix: {summary: `move them to ${tildify(to, ctx.paths.home)} with current session keys`, safe: true, command: ctx.fixCommand()},
      repair: () => moveSessions(ctx, from, to, agentId),
    }
  },
}

function moveSessions(ctx: DoctorContext, from: string, to: string, agentId: string) {
  ensureDir(path.join(ctx.paths.stateDir, 'agents'), 0o700)
  ensureDir(path.dirname(to), 0o700)
  ensureDir(to, 0o700)
  const actions: string[] = []
  const files: string[] = [to]
  const legacyIndexFile = path.join(from, 'sessions.json')
  const targetIndexFile = path.join(to, 'sessions.json')
  const legacy = existsSync(legacyIndexFile) ? readIndex(legacyIndexFile) : {}
  if (legacy === null) throw new Error(`${tildify(legacyIndexFile, ctx.paths.home)} does not parse; fix or move it by hand`)
  const existing = existsSync(targetIndexFile) ? readIndex(targetIndexFile) : {}
  if (existing === null) throw new Error(`${tildify(targetIndexFile, ctx.paths.home)} does not parse; fix it first (openclaw doctor reports it)`)
  for (const name of listDir(from)) {
    if (name === 'sessions.json') continue
    let dest = path.join(to, name)
    // Never overwrite: a same-named file in the new place keeps its name, ours gets a suffix.
    for (let n = 1; existsSync(dest); n++) dest = path.join(to, `${name}.legacy-${n}`)
    renameSync(path.join(from, name), dest)
    ctx.backup.record({check: 'state.legacy-sessions', action: 'move', path: dest, from: path.join(from, name), to: dest})
  }
  if (Object.keys(legacy).length > 0 || existsSync(legacyIndexFile)) {
    const plan = planSessions(legacy, existing, agentId, from, to)
    if (existsSync(legacyIndexFile)) ctx.backup.saveFile('state.legacy-sessions', 'rewrite-keys', legacyIndexFile)
    if (existsSync(targetIndexFile)) ctx.backup.saveFile('state.legacy-sessions', 'merge-index', targetIndexFile)
    writeFileAtomic(targetIndexFile, JSON.stringify(plan.index, null, 2) + '\n', {mode: 0o600})
    ctx.backup.record({check: 'state.legacy-sessions', action: 'delete', path: legacyIndexFile})
    if (existsSync(legacyIndexFile)) unlinkSync(legacyIndexFile)
    for (const [a, b] of plan.renamed) actions.push(`session ${a} -> ${b}`)
    for (const key of plan.kept) actions.push(`kept session key ${key} as written (no channel recorded for it)`)
    files.push(targetIndexFile)
  }
  rmdirSync(from)
  actions.unshift(`moved ${tildify(from, ctx.paths.home)} to ${tildify(to, ctx.paths.home)}`)
  return {actions, files}
}
