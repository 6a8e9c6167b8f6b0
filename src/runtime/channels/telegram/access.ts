import type {TelegramAccountSettings} from './accounts.js'

/**
 * Access control (telegram.md §6, §7.1), pure: who may DM the bot, which group messages are
 * admitted, who may run commands. Lists hold normalized entries (bare digits, "*", "@name").
 */

export interface SenderRef {
  id: string
  username?: string
}

/** telegram.md §6.1: `tg:`/`telegram:` prefixes (any case) removed; "@name" lower-cased; others trimmed. */
export function normalizeAllowEntry(entry: string | number): string {
  const text = String(entry).trim()
  if (text.startsWith('@')) return text.toLowerCase()
  return text.replace(/^(tg|telegram):/i, '')
}

export function listAllows(list: ReadonlyArray<string | number> | undefined, sender: SenderRef): boolean {
  if (!list) return false
  const username = sender.username ? `@${sender.username.toLowerCase()}` : undefined
  return list.some((raw) => {
    const entry = normalizeAllowEntry(raw)
    return entry === '*' || entry === sender.id || (username !== undefined && entry === username)
  })
}

export type DmDecision = {accept: true} | {accept: false; reason: 'dm-disabled' | 'dm-not-allowed'} | {accept: false; reason: 'pairing'}

/**
 * §6.2, in order. `fileAllowFrom` is the approved-senders file (and the legacy one for the default
 * account), or a function reading it, called only when the policy needs the list.
 */
export function decideDm(settings: Pick<TelegramAccountSettings, 'dmPolicy' | 'allowFrom'>, sender: SenderRef, fileAllowFrom: readonly string[] | (() => readonly string[])): DmDecision {
  if (settings.dmPolicy === 'disabled') return {accept: false, reason: 'dm-disabled'}
  if (settings.dmPolicy === 'open') return {accept: true}
  if (listAllows(settings.allowFrom, sender) || listAllows(typeof fileAllowFrom === 'function' ? fileAllowFrom() : fileAllowFrom, sender)) return {accept: true}
  if (settings.dmPolicy === 'allowlist') return {accept: false, reason: 'dm-not-allowed'}
  return {accept: false, reason: 'pairing'}
}

type GroupEntry = NonNullable<TelegramAccountSettings['groups']>[string]
type TopicEntry = NonNullable<GroupEntry['topics']>[string]

export interface GroupInput {
  chatId: string
  /** Forum topic id, when the message is in a forum. */
  topicId?: string
  sender: SenderRef
  /** A channel-linked post or anonymous admin (`sender_chat`): admitted only under `open`. */
  senderIsChat: boolean
  isCommand: boolean
  mentioned: boolean
}

export type GroupSkip = 'group-disabled' | 'group-not-allowed' | 'group-entry-disabled' | 'topic-disabled' | 'sender-not-allowed' | 'no-mention' | 'command-not-authorized'
export type GroupDecision = {accept: true; resolved: ResolvedGroup} | {accept: false; reason: GroupSkip; resolved: ResolvedGroup}

export interface ResolvedGroup {
  groupPolicy: 'open' | 'allowlist' | 'disabled'
  requireMention: boolean
  /** The sender list in effect (first non-empty of topic, group, "*", groupAllowFrom). */
  senderList: ReadonlyArray<string | number> | undefined
  systemPrompt?: string
  agentId?: string
}

/** Per key: topic entry → group entry → groups."*" → account key → built-in default (§7.1). */
export function resolveGroup(settings: TelegramAccountSettings, chatId: string, topicId?: string): {resolved: ResolvedGroup; group?: GroupEntry; star?: GroupEntry; topic?: TopicEntry} {
  const groups = settings.groups
  const group = groups?.[chatId]
  const star = groups?.['*']
  const topic = topicId === undefined ? undefined : (group?.topics?.[topicId] ?? group?.topics?.['*'])
  const pick = <K extends keyof TopicEntry>(key: K) => topic?.[key] ?? group?.[key as keyof GroupEntry] ?? star?.[key as keyof GroupEntry]
  const nonEmpty = (list?: ReadonlyArray<string | number>) => (list && list.length > 0 ? list : undefined)
  return {
    group, star, topic,
    resolved: {
      groupPolicy: (pick('groupPolicy') as ResolvedGroup['groupPolicy'] | undefined) ?? settings.groupPolicy,
      requireMention: (pick('requireMention') as boolean | undefined) ?? true,
      senderList: nonEmpty(topic?.allowFrom) ?? nonEmpty(group?.allowFrom) ?? nonEmpty(star?.allowFrom) ?? nonEmpty(settings.groupAllowFrom),
      ...(pick('systemPrompt') === undefined ? {} : {systemPrompt: pick('systemPrompt') as string}),
      ...(topic?.agentId === undefined ? {} : {agentId: topic.agentId}),
    },
  }
}

/** The gates of §7.1 and the command rule of §6.5, in order. */
export function decideGroup(settings: TelegramAccountSettings, input: GroupInput, dmAllow: readonly string[], commandAllowFrom?: ReadonlyArray<string | number>): GroupDecision {
  const {resolved, group, star, topic} = resolveGroup(settings, input.chatId, input.topicId)
  const no = (reason: GroupSkip): GroupDecision => ({accept: false, reason, resolved})
  if (resolved.groupPolicy === 'disabled') return no('group-disabled')
  if (settings.groups !== undefined) {
    if (group === undefined && star === undefined) return no('group-not-allowed')
    if ((group?.enabled ?? star?.enabled) === false) return no('group-entry-disabled')
    if (topic?.enabled === false) return no('topic-disabled')
  }
  const listed = listAllows(resolved.senderList, input.sender) || (resolved.senderList === undefined && listAllows(settings.allowFrom, input.sender)) || listAllows(dmAllow, input.sender)
  if (resolved.groupPolicy === 'allowlist' && (input.senderIsChat || !listed)) return no('sender-not-allowed')
  if (input.isCommand) {
    const mayRun = commandAllowFrom !== undefined ? listAllows(commandAllowFrom, input.sender) : listed
    return mayRun ? {accept: true, resolved} : no('command-not-authorized')
  }
  if (resolved.requireMention && !input.mentioned) return no('no-mention')
  return {accept: true, resolved}
}
