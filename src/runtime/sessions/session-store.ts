/**
 * The one implementation of `SessionStore` (runtime.md §5, §6) over a `StoreBackend`: the file
 * backend in production, the memory backend in tests. Index changes go through `IndexCache`
 * (atomic, batched), transcript lines through `TranscriptWriter` (append-only, one writer per file).
 */
import {randomUUID} from 'node:crypto'

import {AppError} from '../errors/app-error.js'
import {topicOfSessionKey} from '../routing/session-key.js'
import {buildActiveContext, extendActiveContext} from './active-context.js'
import {archiveName, isValidSessionId, parseArchiveName, transcriptFileName} from './archive-names.js'
import {listArchives, scanPendingInbound} from './archive-scan.js'
import type {StoreBackend} from './backend.js'
import {IndexCache, type RawIndex} from './index-cache.js'
import {recoverStore} from './recover-store.js'
import type {ActiveContext, AppendOptions, ArchiveInfo, DeleteResult, LockHolder, NewLine, PendingInbound, RecoveryReport, ResetResult, SessionEntry, SessionHeader, SessionInit, SessionLock, SessionPatch, SessionStore, Transcript, TranscriptLine} from './store.js'
import {parseTranscript} from './transcript-parse.js'
import {fsyncByDefault, TranscriptWriter} from './transcript-writer.js'

export interface SessionStoreOptions {
  agentId: string
  /** Workspace written as `cwd` into headers the store creates on its own (recovery). */
  cwd?: string
  /** Clock (ms); tests pin it. */
  now?: () => number
}

/** Usage and run state cleared by a reset (§6.3 step 5). */
const CLEARED_ON_RESET = ['inputTokens', 'outputTokens', 'totalTokens', 'contextTokens', 'compactionCount', 'abortedLastRun', 'recovered'] as const

export class BackendSessionStore implements SessionStore {
  readonly agentId: string
  readonly dir: string
  private readonly index: IndexCache
  private readonly writer: TranscriptWriter
  private readonly now: () => number
  private readonly cwd: string
  /** Transcript files whose lock this store holds (a reset inside a held lock must not wait on itself). */
  private readonly held = new Set<string>()
  private readonly recoveryNotes: string[] = []

  constructor(private readonly backend: StoreBackend, options: SessionStoreOptions) {
    this.agentId = options.agentId
    this.dir = backend.dir
    this.now = options.now ?? Date.now
    this.cwd = options.cwd ?? ''
    this.index = new IndexCache(backend, this.now)
    this.writer = new TranscriptWriter(backend, this.now)
  }

  async get(sessionKey: string): Promise<SessionEntry | undefined> {
    const entry = (await this.index.read())[sessionKey]
    return isEntry(entry) ? {...entry} : undefined
  }

  async list(): Promise<Array<{sessionKey: string; entry: SessionEntry}>> {
    const index = await this.index.read()
    return Object.entries(index)
      .filter((pair): pair is [string, SessionEntry] => isEntry(pair[1]))
      .map(([sessionKey, entry]) => ({sessionKey, entry: {...entry}}))
      .sort((a, b) => (b.entry.updatedAt ?? 0) - (a.entry.updatedAt ?? 0))
  }

  async ensure(sessionKey: string, init: SessionInit): Promise<{entry: SessionEntry; created: boolean}> {
    const existing = await this.get(sessionKey)
    if (existing !== undefined) return {entry: await this.ensureTranscript(sessionKey, existing, init.cwd), created: false}
    return this.writer.serialize(`key:${sessionKey}`, async () => {
      const again = await this.get(sessionKey)
      if (again !== undefined) return {entry: again, created: false}
      const sessionId = randomUUID()
      const sessionFile = transcriptFileName(sessionId, init.topicId ?? topicOfSessionKey(sessionKey))
      await this.writer.create(sessionFile, this.header(sessionId, sessionKey, init.cwd))
      const at = this.now()
      const entry: SessionEntry = {sessionId, sessionFile, sessionStartedAt: at, lastInteractionAt: at, updatedAt: at, ...routeFields(init)}
      // Another process may have created the key meanwhile: theirs wins, ours stays an orphan file.
      return this.index.mutate((index) => {
        const raced = index[sessionKey]
        if (isEntry(raced)) return {entry: {...raced}, created: false}
        index[sessionKey] = entry
        return {entry: {...entry}, created: true}
      })
    })
  }

  async patch(sessionKey: string, patch: SessionPatch, options: {expectedSessionId?: string; lazy?: boolean} = {}): Promise<SessionEntry> {
    const fields = {...patch} as Record<string, unknown>
    delete fields.sessionId
    delete fields.sessionFile
    const at = this.now()
    return this.index[options.lazy === true ? 'mutateLazy' : 'mutate']((index) => {
      const entry = this.mustEntry(index, sessionKey, options.expectedSessionId)
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) delete entry[key]
        else entry[key] = value
      }
      entry.updatedAt = (fields.updatedAt as number | undefined) ?? at
      return {...entry}
    })
  }

  flush(): Promise<void> {
    return this.index.flush()
  }

  async append(sessionKey: string, line: NewLine, options: AppendOptions = {}): Promise<TranscriptLine> {
    const entry = await this.get(sessionKey)
    if (entry === undefined) throw notFound(sessionKey, this.agentId)
    const file = entry.sessionFile
    const fsync = options.fsync ?? fsyncByDefault(line)
    return this.writer.serialize(file, async () => {
      // Under our own transcript lock no other process appends: what the writer knows is current.
      if (this.held.has(file) && this.writer.knows(file)) return this.writer.append(file, line, fsync, 'trusted')
      const info = await this.backend.stat(file)
      if (info !== null) return this.writer.append(file, line, fsync, info)
      await this.ensureTranscriptUnserialized(sessionKey, entry)
      return this.writer.append(file, line, fsync)
    })
  }

  async readTranscript(ref: {sessionKey: string; sessionId?: string} | {sessionId: string}): Promise<Transcript> {
    const file = await this.findFile(ref)
    const text = await this.backend.read(file)
    if (text === null) throw new AppError('SESSION_NOT_FOUND', `The transcript ${file} is missing from ${this.dir}.`, {hint: [`openclaw sessions list --agent ${this.agentId} --archived`]})
    return parseTranscript(text, file)
  }

  async activeContext(sessionKey: string): Promise<ActiveContext> {
    const entry = await this.get(sessionKey)
    if (entry === undefined) return {messages: [], leafId: null}
    const file = entry.sessionFile
    // Serialized behind pending appends; under our own lock the writer's copy is current.
    const transcript = await this.writer.serialize(file, () => this.writer.transcript(file, this.held.has(file) ? 'trusted' : undefined))
    if (transcript.header === null) return {messages: [], leafId: null}
    // The last context built from this parsed file is extended by the lines appended since (a
    // file re-read after another writer comes with an empty memo: full rebuild).
    const {lines, memo} = transcript
    const cached = memo.context
    const context = (cached !== undefined && cached.length <= lines.length ? extendActiveContext(cached.value, lines.slice(cached.length)) : null) ?? buildActiveContext(lines)
    memo.context = {length: lines.length, value: context}
    // Callers get their own arrays: the memo's must stay as built.
    return {...context, messages: context.messages.slice(), ...(context.entryIds === undefined ? {} : {entryIds: context.entryIds.slice()})}
  }

  async lock(sessionKey: string, owner: LockHolder['owner']): Promise<SessionLock> {
    const entry = await this.get(sessionKey)
    if (entry === undefined) throw notFound(sessionKey, this.agentId)
    const file = entry.sessionFile
    const lock = await this.backend.lockFile(file, owner)
    this.held.add(file)
    this.writer.revalidate(file) // another process may have appended while we did not hold it
    let released = false
    return {
      sessionKey,
      release: async () => {
        if (released) return
        released = true
        this.held.delete(file)
        await lock.release()
      },
    }
  }

  async reset(sessionKey: string, options: {reason: SessionEntry['resetReason'] & string; expectedSessionId?: string}): Promise<ResetResult> {
    const entry = await this.get(sessionKey)
    if (entry === undefined) throw notFound(sessionKey, this.agentId)
    if (options.expectedSessionId !== undefined && options.expectedSessionId !== entry.sessionId) throw changed(sessionKey, options.expectedSessionId, entry.sessionId)
    const oldFile = entry.sessionFile
    const lock = this.held.has(oldFile) ? null : await this.backend.lockFile(oldFile, 'gateway')
    try {
      return await this.writer.serialize(oldFile, async () => {
        await this.ensureTranscriptUnserialized(sessionKey, entry)
        const nextSessionId = randomUUID()
        const at = this.now()
        await this.writer.append(oldFile, {type: 'custom', customType: 'openclaw.session_end', data: {reason: options.reason, nextSessionId, at}}, true)
        return this.completeReset(sessionKey, entry, nextSessionId, options.reason, at)
      })
    } finally {
      await lock?.release()
    }
  }

  /** §6.3 steps 4–6 (also run by startup recovery after a crash past step 3). */
  async completeReset(sessionKey: string, old: SessionEntry, nextSessionId: string, reason: string, at: number): Promise<ResetResult> {
    const oldFile = old.sessionFile
    const sessionFile = transcriptFileName(nextSessionId, topicOfSessionKey(sessionKey))
    if ((await this.backend.stat(sessionFile)) === null) await this.writer.create(sessionFile, {...this.header(nextSessionId, sessionKey), previousSessionId: old.sessionId})
    const entry = await this.index.mutate((index) => {
      const current = this.mustEntry(index, sessionKey, old.sessionId)
      for (const key of CLEARED_ON_RESET) delete current[key]
      Object.assign(current, {sessionId: nextSessionId, sessionFile, sessionStartedAt: at, lastInteractionAt: at, updatedAt: at, previousSessionId: old.sessionId, resetReason: reason})
      return {...current}
    })
    const archivedFile = await this.archive(oldFile, 'reset')
    return {sessionKey, previousSessionId: old.sessionId, sessionId: nextSessionId, archivedFile: archivedFile ?? oldFile, entry}
  }

  async delete(sessionKey: string, options: {deleteTranscript?: boolean} = {}): Promise<DeleteResult> {
    const removed = await this.index.mutate((index) => {
      const entry = this.mustEntry(index, sessionKey)
      delete index[sessionKey]
      return entry
    })
    const file = removed.sessionFile
    let archivedFile: string | null = null
    await this.writer.serialize(file, async () => {
      if (options.deleteTranscript === true) await this.backend.remove(file)
      else archivedFile = await this.archive(file, 'deleted')
      this.writer.forget(file)
    })
    return {sessionKey, sessionId: removed.sessionId, archivedFile}
  }

  listArchives(): Promise<ArchiveInfo[]> {
    return listArchives(this.backend)
  }

  async pendingInbound(options: {sinceMs?: number; maxLines?: number} = {}): Promise<PendingInbound[]> {
    return scanPendingInbound(this.backend, await this.list(), {now: this.now(), sinceMs: options.sinceMs ?? 24 * 3_600_000, maxLines: options.maxLines ?? 500})
  }

  async recover(): Promise<RecoveryReport> {
    const report = await recoverStore({
      backend: this.backend,
      list: () => this.list(),
      completeReset: (key, entry, next, reason, at) => this.completeReset(key, entry, next, reason, at),
      ensureTranscript: (key, entry) => this.ensureTranscript(key, entry),
      archive: (file) => this.archive(file, 'reset'),
    })
    await this.index.read()
    report.corruptIndexRenamedTo = this.index.events.corruptRenamedTo
    report.rebuiltEntries = this.index.events.rebuiltEntries
    report.notes.unshift(...this.recoveryNotes)
    if (report.corruptIndexRenamedTo !== null) report.notes.unshift(`sessions.json was unparseable: kept as ${report.corruptIndexRenamedTo}, rebuilt ${report.rebuiltEntries} entries from transcript headers`)
    return report
  }

  private header(sessionId: string, sessionKey: string, cwd?: string): SessionHeader {
    return {type: 'session', version: 3, id: sessionId, timestamp: new Date(this.now()).toISOString(), cwd: cwd ?? this.cwd, sessionKey, agentId: this.agentId}
  }

  private mustEntry(index: RawIndex, sessionKey: string, expectedSessionId?: string): SessionEntry {
    const entry = index[sessionKey]
    if (!isEntry(entry)) throw notFound(sessionKey, this.agentId)
    if (expectedSessionId !== undefined && entry.sessionId !== expectedSessionId) throw changed(sessionKey, expectedSessionId, entry.sessionId)
    return entry
  }

  /** §5.2: a missing transcript restarts under the same sessionId with `recovered: true`. */
  private ensureTranscript(sessionKey: string, entry: SessionEntry, cwd?: string): Promise<SessionEntry> {
    return this.writer.serialize(entry.sessionFile, () => this.ensureTranscriptUnserialized(sessionKey, entry, cwd))
  }

  private async ensureTranscriptUnserialized(sessionKey: string, entry: SessionEntry, cwd?: string): Promise<SessionEntry> {
    if ((await this.backend.stat(entry.sessionFile)) !== null) return entry
    await this.writer.create(entry.sessionFile, {...this.header(entry.sessionId, sessionKey, cwd), recovered: true})
    this.recoveryNotes.push(`transcript of ${sessionKey} was missing: restarted ${entry.sessionFile} with the same sessionId (recovered: true)`)
    return this.index.mutate((index) => {
      const current = this.mustEntry(index, sessionKey)
      current.recovered = true
      current.updatedAt = this.now()
      return {...current}
    })
  }

  private async archive(file: string, kind: 'reset' | 'deleted'): Promise<string | null> {
    if ((await this.backend.stat(file)) === null) return null
    const taken = new Set((await this.backend.list()).map((f) => f.name))
    const name = archiveName(file, kind, this.now(), taken)
    await this.backend.rename(file, name)
    this.writer.forget(file)
    return name
  }

  private async findFile(ref: {sessionKey?: string; sessionId?: string}): Promise<string> {
    const index = await this.index.read()
    if (ref.sessionId === undefined) {
      const entry = index[ref.sessionKey ?? '']
      if (!isEntry(entry)) throw notFound(ref.sessionKey ?? '', this.agentId)
      return entry.sessionFile
    }
    const sessionId = ref.sessionId
    if (!isValidSessionId(sessionId)) throw new AppError('SESSION_NOT_FOUND', `"${sessionId}" is not a session id.`, {hint: [`openclaw sessions list --agent ${this.agentId} --archived`]})
    const live = Object.values(index).find((entry) => isEntry(entry) && entry.sessionId === sessionId)
    if (live !== undefined) return live.sessionFile
    const files = (await this.backend.list()).map((f) => f.name).filter((name) => name.startsWith(sessionId) && (name.endsWith('.jsonl') || parseArchiveName(name) !== null))
    const match = files.sort().at(-1)
    if (match === undefined) throw new AppError('SESSION_NOT_FOUND', `No transcript with sessionId ${sessionId} in ${this.dir}.`, {hint: [`openclaw sessions list --agent ${this.agentId} --archived`]})
    return match
  }
}

function isEntry(value: unknown): value is SessionEntry {
  return typeof value === 'object' && value !== null && typeof (value as SessionEntry).sessionId === 'string' && typeof (value as SessionEntry).sessionFile === 'string'
}

function routeFields(init: SessionInit): Partial<SessionEntry> {
  const {chatType, channel, accountId, peerId, threadId, displayName, subject} = init
  return Object.fromEntries(Object.entries({chatType, channel, accountId, peerId, threadId, displayName, subject}).filter(([, v]) => v !== undefined))
}

function notFound(sessionKey: string, agentId: string): AppError {
  return new AppError('SESSION_NOT_FOUND', `session not found: ${sessionKey} (agent ${agentId})`, {hint: [`openclaw sessions list --agent ${agentId}`]})
}

function changed(sessionKey: string, expected: string, actual: string): AppError {
  return new AppError('SESSION_CHANGED', `session changed: expected ${expected}, current ${actual} (${sessionKey} was reset meanwhile)`, {hint: ['openclaw sessions list --json'], details: {reason: 'session-changed', currentSessionId: actual}})
}
