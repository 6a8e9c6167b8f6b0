import os from 'node:os'

import {stateFiles, type ResolvedPaths} from '../paths.js'
import {isProcessAlive, readLockHolder} from './file-lock.js'

/** What `<state>/locks/gateway.lock` records about a running gateway (operations.md §3.2). */
export interface GatewayLockInfo {
  pid: number
  port: number | null
  hostname: string
  startedAt: string | null
  version: string | null
}

/**
 * The gateway lock of this state dir when its PID is alive on this host, else null (no lock,
 * unreadable, another host's, or stale). Used for reload hints; it does not probe the port.
 */
export function readLiveGatewayLock(paths: Pick<ResolvedPaths, 'stateDir'>): GatewayLockInfo | null {
  const holder = readLockHolder(stateFiles(paths.stateDir).gatewayLock)
  if (holder === null || holder.hostname !== os.hostname() || !isProcessAlive(holder.pid)) return null
  return {
    pid: holder.pid,
    port: typeof holder.port === 'number' ? holder.port : null,
    hostname: holder.hostname,
    startedAt: typeof holder.startedAt === 'string' ? holder.startedAt : null,
    version: typeof holder.version === 'string' ? holder.version : null,
  }
}
