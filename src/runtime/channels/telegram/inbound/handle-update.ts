import type {Message} from 'grammy/types'

import type {IncomingUpdate} from '../account-runner.js'
import type {TelegramAccount} from '../accounts.js'
import type {TelegramLog} from '../account-status.js'
import {decideDm, decideGroup} from '../access.js'
import {DeliverySession, type DeliveryHooks} from '../outbound/delivery-session.js'
import type {PairingStore} from '../pairing-store.js'
import type {ChannelRuntime} from '../runtime-seam.js'
import {detectMention} from './mentions.js'
import {normalizeMessage} from './normalize.js'

export interface InboundDeps {
  account: TelegramAccount
  runtime: ChannelRuntime
  pairing: PairingStore
  log: TelegramLog
  hooks: Omit<DeliveryHooks, 'streaming'>
  /** `messages.groupChat.mentionPatterns`, compiled (`iu`). */
  mentionPatterns: readonly RegExp[]
  /** `commands.allowFrom.telegram`, when set. */
  commandAllowFrom?: ReadonlyArray<string | number>
  /** Called with each accepted run's delivery record (tests, status). */
  onDelivery?(session: DeliverySession): void
}

/**
 * The acceptance path of one update (telegram.md §6–§9): skip with a reason, answer a pairing
 * request, or hand the message to the runtime and resolve once it is committed.
 */
export async function handleUpdate(incoming: IncomingUpdate, deps: InboundDeps): Promise<void> {
  const {update} = incoming
  if (update.edited_message) return incoming.skip('edited-message')
  if (update.channel_post) return incoming.skip('channel-post')
  if (update.my_chat_member) {
    const m = update.my_chat_member
    const joined = m.new_chat_member.status === 'member' || m.new_chat_member.status === 'administrator'
    const title = 'title' in m.chat ? m.chat.title : String(m.chat.id)
    deps.log.info(`bot ${joined ? 'added to' : 'removed from'} group "${title}" (${m.chat.id}) by ${m.from.username ? '@' + m.from.username : m.from.id}`)
    return incoming.skip('membership-update', {chatId: String(m.chat.id)})
  }
  const message = update.message
  if (!message) return incoming.skip('unsupported-update')
  if (message.from?.is_bot && !message.sender_chat) return incoming.skip('from-bot')
  const envelope = normalizeMessage(message, {accountId: deps.account.accountId, updateId: update.update_id, me: incoming.me, receivedAt: Date.now()})
  const details = {chatId: String(message.chat.id), chatType: message.chat.type, senderId: envelope.sender.id, ...(envelope.threadId ? {threadId: envelope.threadId} : {})}
  if (envelope.text === '' && envelope.media.length === 0) return incoming.skip(isService(message) ? 'service-message' : 'empty', details)
  if (envelope.command?.addressedTo && envelope.command.addressedTo.toLowerCase() !== incoming.me.username.toLowerCase()) return incoming.skip('command-for-other-bot', details)
  const sender = {id: envelope.sender.id, ...(envelope.sender.username ? {username: envelope.sender.username} : {})}
  const dmAllow = deps.pairing.allowFrom(deps.account.accountId, deps.account.isDefault)
  const settings = deps.account.settings

  if (envelope.peer.kind === 'direct') {
    const decision = decideDm(settings, sender, dmAllow)
    if (!decision.accept) {
      if (decision.reason !== 'pairing') return incoming.skip(decision.reason, details)
      return pair(incoming, deps, message, details)
    }
    if (envelope.command?.name === 'start') envelope.command = {name: 'help', args: ''}
  } else {
    const mentionSource = detectMention(message, {id: incoming.me.id, username: incoming.me.username}, deps.mentionPatterns)
    envelope.mentioned = mentionSource !== undefined
    if (mentionSource) envelope.mentionSource = mentionSource
    const decision = decideGroup(settings, {chatId: String(message.chat.id), topicId: envelope.threadId, sender, senderIsChat: message.sender_chat !== undefined, isCommand: envelope.command !== undefined, mentioned: envelope.mentioned}, dmAllow, deps.commandAllowFrom)
    if (!decision.accept) return incoming.skip(decision.reason, details)
  }

  if (incoming.maybeDone && (await deps.runtime.isCommitted(envelope))) return incoming.skip('already-processed', details)
  const session = new DeliverySession(incoming.api, {chatId: String(message.chat.id), ...(envelope.threadId ? {threadId: envelope.threadId} : {}), replyToMessageId: message.message_id}, settings, {...deps.hooks, streaming: settings.streaming})
  deps.onDelivery?.(session)
  await deps.runtime.dispatchInbound(envelope, session)
}

async function pair(incoming: IncomingUpdate, deps: InboundDeps, message: Message, details: {chatId: string; chatType: string; senderId: string}): Promise<void> {
  const from = message.from!
  const outcome = await deps.pairing.request(deps.account.accountId, {id: String(from.id), ...(from.username ? {username: from.username} : {}), firstName: from.first_name, ...(from.last_name ? {lastName: from.last_name} : {})})
  if (outcome.kind === 'created' && outcome.evicted) deps.log.info(`pairing request of ${outcome.evicted.id} dropped: account ${deps.account.accountId} already had 3 pending`)
  const send = outcome.kind === 'created' || outcome.prompt
  if (send) {
    const code = outcome.request.code
    await incoming.api.sendMessage(message.chat.id, `OpenClaw: access not configured.\n\nYour Telegram user id: ${from.id}\n\nPairing code: ${code}\n\nAsk the bot owner to approve with:\nopenclaw pairing approve telegram ${code}`)
    if (outcome.kind === 'created') {
      const expires = new Date(Date.parse(outcome.request.createdAt) + 3_600_000)
      deps.log.info(`pairing requested by ${from.id}${from.username ? ` (@${from.username})` : ''} on account ${deps.account.accountId}, code ${code}, expires ${expires.toTimeString().slice(0, 5)}`)
    }
  }
  incoming.skip(outcome.kind === 'created' ? 'pairing-required' : 'pairing-pending', details)
}

function isService(message: Message): boolean {
  return ['new_chat_members', 'left_chat_member', 'new_chat_title', 'new_chat_photo', 'pinned_message', 'forum_topic_created', 'migrate_to_chat_id'].some((key) => key in message)
}
