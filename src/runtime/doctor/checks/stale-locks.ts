import {readFileSync, statSync, unlinkSync} from 'node:fs'
import path from 'node:path'

import {stateFiles, tildify} from '../../paths.js'
import {isLockStale, type LockHolder} from '../../state/file-lock.js'
import type {DoctorContext} from '../context.js'
import type {DoctorCheck} from '../doctor-check.js'
import type {Finding} from '../check.js'
import {listDir} from '../fs-inspect.js'

/** Session locks older than this are stale whatever their PID (operations.md §5.2). */
const SESSION_LOCK_STALE_MS = 30 * 60_000

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as LockHolder
    return typeof value?.pid === 'number' ? value : null
  } catch {
    return null
  }
}

function staleOf(files: string[], staleMs: number | undefined): string[] {
  return files.filter((file) => {
    let mtimeMs: number
    try {
      mtimeMs = statSync(file).mtimeMs
    } catch {
      return false
    }
    return isLockStale(readHolder(file), {staleMs, mtimeMs})
  })
}

function removeFinding(ctx: DoctorContext, check: string, stale: string[], what: string): Finding {
  if (stale.length === 0) return {status: 'pass', message: `no stale ${what}`}
  const shown = stale.map((f) => tildify(f, ctx.paths.home))
  return {
    status: 'warn',
    message: `stale ${what} (dead process): ${shown.join(', ')}`,
    fix: {summary: 'remove them', safe: true, command: ctx.fixCommand()},
    repair: () => {
      for (const file of stale) {
        ctx.backup.saveFile(check, 'delete', file)
        unlinkSync(file)
      }
      return {actions: shown.map((s) => `removed ${s}`), files: stale}
    },
  }
}

export const sessionsLocksCheck: DoctorCheck = {
  id: 'sessions.locks',
  title: 'Session locks',
  lint: true,
  inspect: (ctx) => {
    const agentsDir = path.join(ctx.paths.stateDir, 'agents')
    const locks = listDir(agentsDir).flatMap((agent) => {
      const dir = path.join(agentsDir, agent, 'sessions')
      return listDir(dir).filter((n) => n.endsWith('.lock')).map((n) => path.join(dir, n))
    })
    return removeFinding(ctx, 'sessions.locks', staleOf(locks, SESSION_LOCK_STALE_MS), 'session locks')
  },
}

export const gatewayLockCheck: DoctorCheck = {
  id: 'gateway.lock',
  title: 'Gateway and state locks',
  lint: true,
  inspect: (ctx) => {
    const files = stateFiles(ctx.paths.stateDir)
    const locks = listDir(files.locksDir).filter((n) => n.endsWith('.lock')).map((n) => path.join(files.locksDir, n))
    return removeFinding(ctx, 'gateway.lock', staleOf(locks, undefined), 'locks')
  },
}
