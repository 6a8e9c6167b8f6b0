import {randomInt} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, statSync} from 'node:fs'
import path from 'node:path'

import {AppError} from '../../errors/app-error.js'
import {writeFileAtomic} from '../../state/atomic-write.js'
import {withFileLock} from '../../state/file-lock.js'

/**
 * DM pairing (telegram.md §6.3, §6.4) in OpenClaw's own files, read and written in place so a
 * user moving from OpenClaw keeps their approved senders:
 * `credentials/telegram-pairing.json` and `credentials/telegram-<account>-allowFrom.json`.
 */

export interface PairingRequest {
  id: string
  code: string
  accountId: string
  createdAt: string
  lastSeenAt: string
  lastPromptAt: string
  meta: {username?: string; firstName?: string; lastName?: string}
}

export const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
export const PAIRING_TTL_MS = 60 * 60_000
export const PAIRING_REPROMPT_MS = 10 * 60_000
export const MAX_PENDING_PER_ACCOUNT = 3

export type PairingOutcome =
  | {kind: 'created'; request: PairingRequest; evicted: PairingRequest | null}
  | {kind: 'pending'; request: PairingRequest; prompt: boolean}

export interface PairingSender {id: string; username?: string; firstName?: string; lastName?: string}

export function credentialsDir(stateDir: string): string {
  return path.join(stateDir, 'credentials')
}

export function allowFromFile(stateDir: string, accountId: string): string {
  return path.join(credentialsDir(stateDir), `telegram-${accountId}-allowFrom.json`)
}

/** Normalizes a typed code: case-insensitive, spaces and dashes removed. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase()
}

export class PairingStore {
  private readonly file: string
  private readonly allowCache = new Map<string, {version: string; ids: string[]}>()
  /**
   * `allowFrom` answers of the current event-loop turn: a poll batch of 100 DMs stats the files once,
   * not once per DM. A change on disk is seen from the next turn on; our own writes drop it at once.
   */
  private readonly turnAllow = new Map<string, string[]>()

  constructor(private readonly stateDir: string, private readonly now: () => number = Date.now) {
    this.file = path.join(credentialsDir(stateDir), 'telegram-pairing.json')
  }

  /** Pending requests (expired ones pruned), optionally of one account, oldest first. */
  list(accountId?: string): PairingRequest[] {
    return this.readRequests().filter((r) => accountId === undefined || r.accountId === accountId)
  }

  /** A DM from an unknown sender: a new request (evicting the oldest beyond 3), or the pending one. */
  async request(accountId: string, sender: PairingSender): Promise<PairingOutcome> {
    return this.locked(() => {
      const requests = this.readRequests()
      const at = new Date(this.now()).toISOString()
      const existing = requests.find((r) => r.id === sender.id && r.accountId === accountId)
      if (existing) {
        existing.lastSeenAt = at
        const prompt = this.now() - Date.parse(existing.lastPromptAt) >= PAIRING_REPROMPT_MS
        if (prompt) existing.lastPromptAt = at
        this.writeRequests(requests)
        return {kind: 'pending', request: existing, prompt}
      }
      const mine = requests.filter((r) => r.accountId === accountId).sort((a, b) => Date.parse(a.lastSeenAt) - Date.parse(b.lastSeenAt))
      const evicted = mine.length >= MAX_PENDING_PER_ACCOUNT ? mine[0] : null
      const kept = evicted ? requests.filter((r) => r !== evicted) : requests
      const codes = new Set(kept.map((r) => r.code))
      let code: string
      do code = Array.from({length: 8}, () => PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)]).join('')
      while (codes.has(code))
      const meta = Object.fromEntries(Object.entries({username: sender.username, firstName: sender.firstName, lastName: sender.lastName}).filter(([, v]) => v !== undefined))
      const request: PairingRequest = {id: sender.id, code, accountId, createdAt: at, lastSeenAt: at, lastPromptAt: at, meta}
      this.writeRequests([...kept, request])
      return {kind: 'created', request, evicted}
    })
  }

  /** Approves a code: the sender joins the account's allowFrom file and the request is removed. */
  async approve(code: string, accountId?: string): Promise<PairingRequest> {
    const wanted = normalizeCode(code)
    return this.locked(() => {
      const requests = this.readRequests()
      const hit = requests.find((r) => r.code === wanted && (accountId === undefined || r.accountId === accountId))
      if (!hit) {
        throw new AppError('PAIRING_CODE_NOT_FOUND', `No pending pairing request with code ${wanted} for telegram (codes expire after 1 hour). List them: openclaw pairing list telegram`, {
          hint: ['openclaw pairing list telegram'],
        })
      }
      const file = allowFromFile(this.stateDir, hit.accountId)
      const ids = readAllowFile(file)
      if (!ids.includes(hit.id)) writeFileAtomic(file, JSON.stringify({version: 1, allowFrom: [...ids, hit.id]}, null, 2) + '\n')
      this.turnAllow.clear()
      this.writeRequests(requests.filter((r) => r !== hit))
      return hit
    })
  }

  /**
   * The approved senders of an account (re-read when the file changes: inode, size or mtime); the
   * default account also reads the legacy file. Stats once per event-loop turn (`turnAllow`).
   */
  allowFrom(accountId: string, isDefault: boolean): string[] {
    const key = `${isDefault ? 'default' : 'other'}:${accountId}`
    const memo = this.turnAllow.get(key)
    if (memo !== undefined) return memo
    const files = [allowFromFile(this.stateDir, accountId), ...(isDefault ? [path.join(credentialsDir(this.stateDir), 'telegram-allowFrom.json')] : [])]
    const ids = files.flatMap((file) => this.readAllowCached(file))
    if (this.turnAllow.size === 0) setImmediate(() => this.turnAllow.clear())
    this.turnAllow.set(key, ids)
    return ids
  }

  private readAllowCached(file: string): string[] {
    let version: string
    try {
      // No exception for the usual case of no file (this runs for every DM under pairing/allowlist).
      const stats = statSync(file, {throwIfNoEntry: false})
      if (stats === undefined) return []
      version = `${stats.ino}:${stats.size}:${stats.mtimeMs}`
    } catch {
      return []
    }
    const cached = this.allowCache.get(file)
    if (cached?.version === version) return cached.ids
    const ids = readAllowFile(file)
    this.allowCache.set(file, {version, ids})
    return ids
  }

  /**
   * `channels remove --delete-credentials`: moves the account's allowFrom files (the default
   * account's legacy one too) and its pending requests into `backupDir`; returns what was moved.
   */
  async moveAccountTo(backupDir: string, accountId: string, isDefault: boolean): Promise<string[]> {
    return this.locked(() => {
      mkdirSync(backupDir, {recursive: true, mode: 0o700})
      const moved: string[] = []
      const files = [allowFromFile(this.stateDir, accountId), ...(isDefault ? [path.join(credentialsDir(this.stateDir), 'telegram-allowFrom.json')] : [])]
      for (const file of files) {
        if (!existsSync(file)) continue
        const to = path.join(backupDir, path.basename(file))
        renameSync(file, to)
        moved.push(to)
      }
      this.turnAllow.clear()
      const requests = this.readRequests()
      const mine = requests.filter((r) => r.accountId === accountId)
      if (mine.length > 0) {
        const to = path.join(backupDir, `telegram-pairing-${accountId}.json`)
        writeFileAtomic(to, JSON.stringify({version: 1, requests: mine}, null, 2) + '\n')
        this.writeRequests(requests.filter((r) => r.accountId !== accountId))
        moved.push(to)
      }
      return moved
    })
  }

  private readRequests(): PairingRequest[] {
    let parsed: {requests?: PairingRequest[]}
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as {requests?: PairingRequest[]}
    } catch {
      return []
    }
    const now = this.now()
    // A hand-edited or older file may lack `meta`: treat it as a sender without a name rather than crash `pairing list`.
    return (parsed.requests ?? []).filter((r) => typeof r.code === 'string' && now - Date.parse(r.createdAt) < PAIRING_TTL_MS).map((r) => ({...r, meta: r.meta ?? {}}))
  }

  private writeRequests(requests: PairingRequest[]): void {
    writeFileAtomic(this.file, JSON.stringify({version: 1, requests}, null, 2) + '\n')
  }

  private locked<T>(fn: () => T): Promise<T> {
    mkdirSync(credentialsDir(this.stateDir), {recursive: true, mode: 0o700})
    return withFileLock(`${this.file}.lock`, {
      timeoutMs: 5000,
      staleMs: 30_000,
      onTimeout: (holder) => new AppError('STATE_LOCKED', `the pairing store is locked by pid ${holder?.pid ?? 'unknown'}`, {hint: ['try again in a moment']}),
    }, fn)
  }
}

function readAllowFile(file: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as {allowFrom?: unknown[]}
    return (parsed.allowFrom ?? []).map((id) => String(id).replace(/^(tg|telegram):/i, '').trim()).filter((id) => id !== '')
  } catch {
    return []
  }
}
