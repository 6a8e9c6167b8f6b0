/**
 * The session store contract (runtime.md §5, §6): one index (`sessions.json`: session key → entry)
 * and one append-only JSONL transcript per sessionId, per agent. The file store and the in-memory
 * twin implement this interface and pass one shared contract test; the run loop, the chat commands,
 * the gateway method groups and the CLI only ever see this interface.
 *
 * A store instance serves one agent's sessions directory. `SessionStores.forAgent` hands out one
 * instance per agent id (cached, so one writer per file in a process).
 */
import type {ConversationMessage} from '../models/messages.js'

/** Why a sessionId changed (§6.1). */
export type ResetReason = 'new' | 'reset' | 'daily' | 'idle' | 'rpc'

/** One `sessions.json` entry (§5.1). Unknown fields read from disk survive every rewrite. */
export interface SessionEntry {
  /** UUID v4 of the current transcript. */
  sessionId: string
  /** Transcript file name relative to the sessions dir (`<sessionId>.jsonl`, `<id>-topic-<n>.jsonl`). */
  sessionFile: string
  /** Epoch ms: start of this sessionId (the daily reset clock). */
  sessionStartedAt: number
  /** Epoch ms: last real inbound user message (the idle reset clock). */
  lastInteractionAt: number
  /** Epoch ms: any change. */
  updatedAt: number
  previousSessionId?: string
  resetReason?: ResetReason
  chatType?: 'direct' | 'group' | 'channel'
  channel?: string
  accountId?: string
  peerId?: string
  threadId?: string
  displayName?: string
  subject?: string
  lastChannel?: string
  lastTo?: string
  lastAccountId?: string
  lastThreadId?: string
  modelOverride?: string
  providerOverride?: string
  modelOverrideSource?: 'user'
  queueMode?: 'collect' | 'followup' | 'steer' | 'interrupt'
  label?: string
  thinkingLevel?: string
  inputTokens?: number
  outputTokens?: number
  totalTokens?: number
  contextTokens?: number
  compactionCount?: number
  abortedLastRun?: boolean
  /** Set when the transcript was missing and restarted under the same sessionId (§5.2). */
  recovered?: boolean
  /** Upstream OpenClaw writes more fields; they are kept verbatim. */
  [extra: string]: unknown
}

/** Fields a caller may change with `patch` (never sessionId/sessionFile: only `reset` changes those). */
export type SessionPatch = Partial<Omit<SessionEntry, 'sessionId' | 'sessionFile'>>

/** Where a new session lives; copied onto the entry when `ensure` creates it. */
export interface SessionInit {
  agentId: string
  /** Workspace dir written as the header's `cwd`. */
  cwd: string
  chatType?: SessionEntry['chatType']
  channel?: string
  accountId?: string
  peerId?: string
  threadId?: string
  displayName?: string
  subject?: string
  /** Forum topic number: the transcript becomes `<sessionId>-topic-<n>.jsonl`. */
  topicId?: string
}

/** First line of every transcript (§5.3). */
export interface SessionHeader {
  type: 'session'
  version: number
  /** The sessionId. */
  id: string
  timestamp: string
  cwd: string
  sessionKey?: string
  agentId?: string
  previousSessionId?: string
  recovered?: boolean
  [extra: string]: unknown
}

/** Envelope facts kept on a user line (§5.3 `origin`). */
export interface MessageOrigin {
  channel: string
  accountId?: string
  peer?: {kind: string; id: string}
  senderId?: string
  senderName?: string
  messageIds?: string[]
  dedupeKeys?: string[]
  /** `channel`: the reply goes back through this origin's channel, tracked by `openclaw.delivery` markers (restart redelivery). */
  delivery?: 'channel'
}

interface LineBase {
  /** 8 lowercase hex, unique in the file. */
  id: string
  /** The previous line's id; null for the first line after the header. */
  parentId: string | null
  /** ISO-8601. */
  timestamp: string
}

export interface MessageLine extends LineBase {
  type: 'message'
  message: ConversationMessage
  origin?: MessageOrigin
}

export interface CompactionLine extends LineBase {
  type: 'compaction'
  summary: string
  firstKeptEntryId: string
  tokensBefore: number
  tokensAfter?: number
}

/** Marker custom types written by this runtime (§5.3). */
export type MarkerType = 'openclaw.inbound' | 'openclaw.inbound_dropped' | 'openclaw.session_end' | 'openclaw.model_fallback'

/** A marker; never sent to the model. */
export interface CustomLine extends LineBase {
  type: 'custom'
  customType: MarkerType | (string & {})
  data: Record<string, unknown>
}

/** A line of a kind we do not write (upstream `custom_message`, branches…): kept for reading. */
export interface ForeignLine extends LineBase {
  type: string
  [extra: string]: unknown
}

export type TranscriptLine = MessageLine | CompactionLine | CustomLine
/** What a caller hands to `append`: the store assigns id, parentId and timestamp. */
export type NewLine =
  | {type: 'message'; message: ConversationMessage; origin?: MessageOrigin}
  | {type: 'compaction'; summary: string; firstKeptEntryId: string; tokensBefore: number; tokensAfter?: number}
  | {type: 'custom'; customType: MarkerType | (string & {}); data: Record<string, unknown>}

export interface AppendOptions {
  /**
   * Force (true) or skip (false) the fsync after this line. Default per §5.4: user lines,
   * `openclaw.inbound`/`openclaw.session_end` markers and compactions are fsynced; intermediate
   * assistant and tool lines are not — pass `fsync: true` for the last line of a run.
   */
  fsync?: boolean
}

/** A transcript as read: lines after the header, in file order (§5.3 Reading). */
export interface Transcript {
  /** null when the first line is not a valid header (the file is then ignored for context). */
  header: SessionHeader | null
  lines: Array<TranscriptLine | ForeignLine>
  /** File name relative to the sessions dir. */
  file: string
  /** Skipped malformed lines, torn tail, bad header: one note per problem kind. */
  warnings: string[]
}

/** The messages to send to the model, following parentId from the last line (§5.3). */
export interface ActiveContext {
  messages: ConversationMessage[]
  /**
   * The transcript line id of each message (same indexes as `messages`); null for the compaction
   * summary and synthetic tool results. Compaction cuts at these ids (`firstKeptEntryId`).
   */
  entryIds?: Array<string | null>
  /** Id of the last line on the path (the next line's parentId); null for an empty transcript. */
  leafId: string | null
  /** The compaction in effect, when one is on the path. */
  compaction?: {id: string; summary: string; firstKeptEntryId: string}
}

/** A pending `openclaw.inbound` marker not consumed by a later user line (§8.5 startup scan). */
export interface PendingInbound {
  sessionKey: string
  sessionId: string
  markerId: string
  data: Record<string, unknown>
}

export interface ResetResult {
  sessionKey: string
  previousSessionId: string
  sessionId: string
  /** Archive file name (`<file>.reset.<ts>`) relative to the sessions dir. */
  archivedFile: string
  entry: SessionEntry
}

export interface DeleteResult {
  sessionKey: string
  sessionId: string
  /** `<file>.deleted.<ts>`; null when the transcript was removed (`deleteTranscript: true`) or absent. */
  archivedFile: string | null
}

/** An archived transcript (§6.4), described from its header and last line. */
export interface ArchiveInfo {
  sessionId: string
  sessionKey: string | null
  agentId: string | null
  startedAt: number | null
  endedAt: number | null
  reason: 'reset' | 'deleted'
  file: string
  sizeBytes: number
}

/** Startup recovery findings (§5.2, §6.3); health and doctor report them. */
export interface RecoveryReport {
  /** `sessions.json.corrupt.<ts>` when the index was unparseable and rebuilt. */
  corruptIndexRenamedTo: string | null
  rebuiltEntries: number
  /** Resets completed from a session-end marker. */
  completedResets: string[]
  /** Entries whose transcript was missing and restarted with the same sessionId. */
  recoveredTranscripts: string[]
  notes: string[]
}

/** Who holds a transcript lock (file content of `<file>.lock`, §5.5). */
export interface LockHolder {
  pid: number
  hostname: string
  startedAt: number
  owner: 'gateway' | 'cli'
}

export interface SessionLock {
  readonly sessionKey: string
  /** Idempotent. */
  release(): Promise<void>
}

export interface ListOptions {
  /** Include archived transcripts (§6.4). */
  archived?: boolean
}

export interface SessionStore {
  readonly agentId: string
  /** Absolute sessions directory. */
  readonly dir: string

  /** The entry for a canonical session key, or undefined. */
  get(sessionKey: string): Promise<SessionEntry | undefined>
  /** All entries, newest `updatedAt` first. */
  list(): Promise<Array<{sessionKey: string; entry: SessionEntry}>>
  /**
   * The entry for `sessionKey`, creating it (fresh sessionId, header fsynced) when absent. An entry
   * whose transcript file is missing keeps its sessionId: the file restarts with `recovered: true`.
   */
  ensure(sessionKey: string, init: SessionInit): Promise<{entry: SessionEntry; created: boolean}>
  /**
   * Merge fields into an entry (atomic index write). Throws SESSION_NOT_FOUND for an unknown key.
   * `lazy`: resolve once the change is visible in this process; the write follows unawaited (the
   * index may lag the transcripts, §5.2: for bookkeeping a crash may lose, like run usage).
   */
  patch(sessionKey: string, patch: SessionPatch, options?: {expectedSessionId?: string; lazy?: boolean}): Promise<SessionEntry>
  /** Resolves once every index change made so far (lazy patches included) is written. */
  flush(): Promise<void>

  /** Append one line to the entry's current transcript; returns it with id/parentId/timestamp. */
  append(sessionKey: string, line: NewLine, options?: AppendOptions): Promise<TranscriptLine>
  /** The current transcript of a key, or (with `sessionId`) any transcript incl. archives, read-only. */
  readTranscript(ref: {sessionKey: string; sessionId?: string} | {sessionId: string}): Promise<Transcript>
  /** The model-visible conversation of the key's current transcript. */
  activeContext(sessionKey: string): Promise<ActiveContext>

  /** Take the cross-process transcript lock (§5.5) for a run, reset or compaction. */
  lock(sessionKey: string, owner: LockHolder['owner']): Promise<SessionLock>
  /** The reset procedure of §6.3 (steps 2–6; the caller aborts runs first and emits events). */
  reset(sessionKey: string, options: {reason: ResetReason; expectedSessionId?: string}): Promise<ResetResult>
  /** Remove the entry; archive the transcript as `.deleted.<ts>` unless `deleteTranscript`. */
  delete(sessionKey: string, options?: {deleteTranscript?: boolean}): Promise<DeleteResult>
  /** Archived transcripts in this store (§6.4), newest first. */
  listArchives(): Promise<ArchiveInfo[]>

  /** Unconsumed `openclaw.inbound` markers in transcripts updated within `sinceMs` (§8.5). */
  pendingInbound(options?: {sinceMs?: number; maxLines?: number}): Promise<PendingInbound[]>
  /** Startup recovery: corrupt index rebuild, half-done resets completed (§5.2, §6.3). */
  recover(): Promise<RecoveryReport>
}

/** One store per agent id (cached per process so each file has one writer). */
export interface SessionStores {
  forAgent(agentId: string): SessionStore
}
