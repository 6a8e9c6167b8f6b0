/**
 * Recognizing chat commands (runtime.md §7): a message whose trimmed text matches
 * `^/([a-z][a-z0-9_]*)(@\w+)?:?(\s[\s\S]*)?$` with a listed name. Any other `/word` is model text.
 * Pure.
 */

export const CHAT_COMMANDS = ['help', 'status', 'new', 'reset', 'stop', 'model', 'approve'] as const
export type ChatCommandName = (typeof CHAT_COMMANDS)[number]

export interface ChatCommand {
  name: ChatCommandName
  /** Trimmed text after the command ('' when none). */
  args: string
  /** `@botname` suffix without the `@`, when present. */
  addressedTo?: string
}

export type ParsedChatText =
  | {kind: 'command'; command: ChatCommand}
  /** A listed command addressed to another bot: the adapter skips it. */
  | {kind: 'other-bot'; addressedTo: string}
  | {kind: 'text'}

const COMMAND_RE = /^\/([a-z][a-z0-9_]*)(@\w+)?:?(\s[\s\S]*)?$/i

export interface ParseOptions {
  /** This bot's username (Telegram); a different `@name` suffix means another bot. */
  botUsername?: string
  /** `session.resetTriggers` (default `/new`, `/reset`): extra names that mean `/reset`-like resets. */
  resetTriggers?: readonly string[]
}

export function parseChatText(text: string, options: ParseOptions = {}): ParsedChatText {
  const match = COMMAND_RE.exec(text.trim())
  if (match === null) return {kind: 'text'}
  const word = match[1].toLowerCase()
  const name = commandName(word, options.resetTriggers)
  if (name === undefined) return {kind: 'text'}
  const addressedTo = match[2]?.slice(1)
  if (addressedTo !== undefined && options.botUsername !== undefined && addressedTo.toLowerCase() !== options.botUsername.replace(/^@/, '').toLowerCase()) {
    return {kind: 'other-bot', addressedTo}
  }
  return {kind: 'command', command: {name, args: (match[3] ?? '').trim(), ...(addressedTo === undefined ? {} : {addressedTo})}}
}

/** The command a `/word` names; a custom reset trigger (`/fresh`) acts as `/reset`. */
function commandName(word: string, resetTriggers: readonly string[] | undefined): ChatCommandName | undefined {
  const triggers = (resetTriggers ?? ['/new', '/reset']).map((t) => t.replace(/^\//, '').toLowerCase())
  if (word === 'new' || word === 'reset') return triggers.includes(word) ? word : undefined
  if ((CHAT_COMMANDS as readonly string[]).includes(word)) return word as ChatCommandName
  return triggers.includes(word) ? 'reset' : undefined
}

/** `/approve <id> allow-once|allow-always|deny`, or null when malformed. */
export function parseApproveArgs(args: string): {id: string; decision: 'allow-once' | 'allow-always' | 'deny'} | null {
  const [id, decision, ...rest] = args.split(/\s+/).filter((part) => part !== '')
  if (id === undefined || rest.length > 0) return null
  const normalized = (decision ?? '').toLowerCase()
  if (normalized !== 'allow-once' && normalized !== 'allow-always' && normalized !== 'deny') return null
  return {id, decision: normalized}
}
