/**
 * The model-visible conversation of a transcript (runtime.md §5.3): the path from the last line back
 * to the root via parentId, with a compaction on the path replaced by its summary. Pure.
 */
import type {ConversationMessage, ToolResultMessage, UserPart} from '../models/messages.js'
import type {ActiveContext, CompactionLine, ForeignLine, MessageLine, TranscriptLine} from './store.js'

export const SUMMARY_PREFIX = '[Summary of the earlier conversation]'

type AnyLine = TranscriptLine | ForeignLine

export function buildActiveContext(lines: readonly AnyLine[]): ActiveContext {
  const path = pathToLeaf(lines)
  const leafId = path.at(-1)?.id ?? null
  let compactionAt = -1
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i].type === 'compaction') {
      compactionAt = i
      break
    }
  }
  if (compactionAt < 0) return withIds(repairToolPairs(path.flatMap(toEntry)), leafId)
  const compaction = path[compactionAt] as CompactionLine
  const keptFrom = path.findIndex((line) => line.id === compaction.firstKeptEntryId)
  const kept = keptFrom >= 0 && keptFrom < compactionAt ? path.slice(keptFrom, compactionAt) : []
  const summary: Entry = {id: null, message: {role: 'user', content: [{type: 'text', text: `${SUMMARY_PREFIX}\n${compaction.summary}`}], timestamp: Date.parse(compaction.timestamp) || 0}}
  const entries = [summary, ...[...kept, ...path.slice(compactionAt + 1)].flatMap(toEntry)]
  return {...withIds(repairToolPairs(entries), leafId), compaction: {id: compaction.id, summary: compaction.summary, firstKeptEntryId: compaction.firstKeptEntryId}}
}

/**
 * `context` (built from a transcript's first lines) extended by the lines appended after them, or
 * null when only a full `buildActiveContext` gives the right answer: a line that does not chain
 * onto the leaf, a compaction, a tool call or result (pairs are repaired), an upstream custom
 * message, or a context that ends in a synthetic result. Same result as a rebuild, in O(new lines).
 */
export function extendActiveContext(context: ActiveContext, added: readonly AnyLine[]): ActiveContext | null {
  const ids = context.entryIds
  if (ids === undefined || (ids.length > 0 && ids.at(-1) === null)) return null
  const messages = context.messages.slice()
  const entryIds = ids.slice()
  let leafId = context.leafId
  for (const line of added) {
    if (typeof line.id !== 'string') continue // not on any path
    if ((line.parentId ?? null) !== leafId) return null
    leafId = line.id
    if (line.type === 'message') {
      const [entry] = toEntry(line)
      if (entry === undefined) continue
      const {message} = entry
      if (message.role === 'toolResult' || (message.role === 'assistant' && message.content.some((part) => part.type === 'toolCall'))) return null
      messages.push(message)
      entryIds.push(line.id)
    } else if (line.type === 'compaction' || line.type === 'custom_message') {
      return null
    }
  }
  return {messages, entryIds, leafId, ...(context.compaction === undefined ? {} : {compaction: context.compaction})}
}

/** A model-visible message and the transcript line it came from (null: the summary, synthetic results). */
interface Entry {
  id: string | null
  message: ConversationMessage
}

function withIds(entries: Entry[], leafId: string | null): ActiveContext {
  return {messages: entries.map((entry) => entry.message), entryIds: entries.map((entry) => entry.id), leafId}
}

/** Lines from the root to the last line carrying an id (upstream files may branch; ours never do). */
function pathToLeaf(lines: readonly AnyLine[]): AnyLine[] {
  const byId = new Map<string, AnyLine>()
  for (const line of lines) if (typeof line.id === 'string') byId.set(line.id, line)
  const path: AnyLine[] = []
  let cursor = [...lines].reverse().find((line) => typeof line.id === 'string')
  const seen = new Set<string>()
  while (cursor !== undefined && !seen.has(cursor.id)) {
    seen.add(cursor.id)
    path.push(cursor)
    cursor = typeof cursor.parentId === 'string' ? byId.get(cursor.parentId) : undefined
  }
  return path.reverse()
}

function toEntry(line: AnyLine): Entry[] {
  if (line.type === 'message') {
    const message = (line as MessageLine).message as ConversationMessage | undefined
    return message !== undefined && typeof message === 'object' && typeof message.role === 'string' ? [{id: line.id, message}] : []
  }
  if (line.type === 'custom_message') return upstreamCustomMessage(line as ForeignLine).map((message) => ({id: line.id, message}))
  return []
}

/** Upstream `custom_message` lines are sent as user text. */
function upstreamCustomMessage(line: ForeignLine): ConversationMessage[] {
  const content = line.content
  let parts: UserPart[] = []
  if (typeof content === 'string') parts = [{type: 'text', text: content}]
  else if (Array.isArray(content)) parts = content.filter((p): p is UserPart => typeof p === 'object' && p !== null && ((p as UserPart).type === 'text' || (p as UserPart).type === 'image'))
  if (parts.length === 0) return []
  return [{role: 'user', content: parts, timestamp: Date.parse(line.timestamp) || 0}]
}

/**
 * Every tool call gets exactly one result before the next user/assistant message (a crash mid-run
 * can leave one dangling): missing results are filled with a synthetic `aborted` error result, so
 * every provider accepts the history. Nothing is written.
 */
function repairToolPairs(entries: Entry[]): Entry[] {
  const out: Entry[] = []
  let open: Array<{id: string; name: string}> = []
  const closeOpen = (timestamp: number) => {
    for (const call of open) out.push({id: null, message: syntheticResult(call, timestamp)})
    open = []
  }
  for (const entry of entries) {
    const {message} = entry
    if (message.role === 'toolResult') {
      const index = open.findIndex((call) => call.id === message.toolCallId)
      if (index < 0) continue // a result without its call would be rejected by providers
      open.splice(index, 1)
      out.push(entry)
      continue
    }
    closeOpen(message.role === 'user' ? message.timestamp : 0)
    out.push(entry)
    if (message.role === 'assistant') {
      open = message.content.flatMap((part) => (part.type === 'toolCall' ? [{id: part.id, name: part.name}] : []))
    }
  }
  closeOpen(0)
  return out
}

function syntheticResult(call: {id: string; name: string}, timestamp: number): ToolResultMessage {
  return {role: 'toolResult', toolCallId: call.id, toolName: call.name, content: [{type: 'text', text: 'aborted'}], isError: true, timestamp}
}
