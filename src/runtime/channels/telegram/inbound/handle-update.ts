import type {Message} from 'grammy/types'

import type {IncomingUpdate} from '../account-runner.js'
import type {TelegramAccount} from '../accounts.js'
import type {TelegramLog} from '../account-status.js'
import {decideDm, decideGroup} from '../access.js'
import {DeliverySession, type DeliveryHooks} from '../outbound/delivery-session.js'
import type {PairingStore} from '../pairing-store.js'
import type {ChannelRuntime} from '../runtime-seam.js'
import type {InboundEnvelope} from '../../../routing/envelope.js'
import {downloadFile, imageNote, mediaPlaceholder, MediaNotLoaded, TEXT_ONLY_NOTE, toImagePart, type FileSource} from './download-media.js'
import {historyKey, withHistory, type GroupHistory} from './group-history.js'
import {detectMention} from './mentions.js'
import {mergeAlbum, normalizeMessage} from './normalize.js'

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
  /** §7.4: unmentioned group messages, per account and chat/topic (owned by the channel). */
  history?: GroupHistory
  /** Image downloads (tests pass their own fetch); default: `getFile` + `<apiRoot>/file/bot<token>/<path>`. */
  files?: FileSource
  now?: () => number
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
  const context = {accountId: deps.account.accountId, updateId: update.update_id, me: incoming.me, receivedAt: Date.now()}
  // An album (telegram.md §8): its parts arrive as one unit and become one message with every photo.
  const album = [message, ...incoming.albumParts.flatMap((part) => (part.message ? [part.message] : []))]
  const envelope = mergeAlbum(normalizeMessage(message, context), album.slice(1).map((part) => normalizeMessage(part, context)))
  const details = {chatId: String(message.chat.id), chatType: message.chat.type, senderId: envelope.sender.id, ...(envelope.threadId ? {threadId: envelope.threadId} : {})}
  if (envelope.text === '' && envelope.media.length === 0) return incoming.skip(isService(message) ? 'service-message' : 'empty', details)
  if (envelope.command?.addressedTo && envelope.command.addressedTo.toLowerCase() !== incoming.me.username.toLowerCase()) return incoming.skip('command-for-other-bot', details)
  const sender = {id: envelope.sender.id, ...(envelope.sender.username ? {username: envelope.sender.username} : {})}
  // Read only when a decision needs it (not for an open or disabled DM policy).
  const dmAllow = () => deps.pairing.allowFrom(deps.account.accountId, deps.account.isDefault)
  const settings = deps.account.settings

  if (envelope.peer.kind === 'direct') {
    const decision = decideDm(settings, sender, dmAllow)
    if (!decision.accept) {
      if (decision.reason !== 'pairing') return incoming.skip(decision.reason, details)
      return pair(incoming, deps, message, details)
    }
    if (envelope.command?.name === 'start') envelope.command = {name: 'help', args: ''}
  } else {
    const mentionSource = album.map((part) => detectMention(part, {id: incoming.me.id, username: incoming.me.username}, deps.mentionPatterns)).find((source) => source !== undefined)
    envelope.mentioned = mentionSource !== undefined
    if (mentionSource) envelope.mentionSource = mentionSource
    const decision = decideGroup(settings, {chatId: String(message.chat.id), topicId: envelope.threadId, sender, senderIsChat: message.sender_chat !== undefined, isCommand: envelope.command !== undefined, mentioned: envelope.mentioned}, dmAllow(), deps.commandAllowFrom)
    if (!decision.accept) {
      // §7.4: only an admitted sender's unaddressed message is worth keeping as context.
      if (decision.reason === 'no-mention') deps.history?.record(historyKey(deps.account.accountId, envelope.peer.id), {name: envelope.sender.displayName, text: historyText(envelope), at: envelope.receivedAt}, settings.historyLimit)
      return incoming.skip(decision.reason, details)
    }
  }

  if (incoming.maybeDone && (await deps.runtime.isCommitted(envelope))) return incoming.skip('already-processed', details)
  if (envelope.peer.kind === 'group' && envelope.command === undefined && deps.history) {
    // Commands keep the history for the next real question; the text must stay a bare command.
    envelope.text = withHistory(deps.history.take(historyKey(deps.account.accountId, envelope.peer.id), (deps.now ?? Date.now)()), envelope.text)
  }
  await loadImages(envelope, deps, incoming, details)
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

/** A history line's text: the message, or its media kind when it has no caption. */
function historyText(envelope: InboundEnvelope): string {
  if (envelope.text !== '') return envelope.text
  return envelope.media[0] ? `<media:${envelope.media[0].kind}>` : ''
}

/**
 * Downloads the message's images (photos, image documents; several for an album) into
 * `envelope.images`, unless the answering model takes text only: then nothing is fetched and the
 * text says what came. Anything that stops one image (over `mediaMaxMb`, download error, not an
 * image format) becomes a note in the text and one log line with the reason; the message goes on.
 */
async function loadImages(envelope: InboundEnvelope, deps: InboundDeps, incoming: IncomingUpdate, details: {chatId: string; senderId: string}): Promise<void> {
  const images = envelope.media.filter((m) => m.kind === 'image')
  // Voice, documents, stickers...: not given to models in v1, but the model learns that something came.
  const notes = envelope.media.filter((m) => m.kind !== 'image').map(mediaPlaceholder)
  if (images.length > 0 && deps.runtime.takesImages !== undefined && !(await deps.runtime.takesImages(envelope))) {
    notes.push(...images.map(mediaPlaceholder), TEXT_ONLY_NOTE)
  } else if (images.length > 0) {
    const {token} = deps.account
    const apiRoot = deps.account.settings.apiRoot
    const source: FileSource = deps.files ?? {
      getFile: (fileId) => incoming.api.getFile(fileId),
      fileUrl: (filePath) => `${apiRoot}/file/bot${token ?? ''}/${filePath}`,
    }
    const maxBytes = Math.floor(deps.account.settings.mediaMaxMb * 1_048_576)
    const loaded = await Promise.all(images.map(async (media) => {
      try {
        const bytes = await downloadFile(source, media.fileId, maxBytes, media.sizeBytes)
        const part = toImagePart(bytes, media.mimeType)
        media.sizeBytes = bytes.length
        return {part, notes: []}
      } catch (error) {
        const failure = error instanceof MediaNotLoaded ? error : new MediaNotLoaded('media-download-failed', 'download failed')
        deps.log.info(`image of message ${envelope.messageId} from ${details.senderId} in ${details.chatId} not loaded (${failure.reason}): ${failure.message}`, {reason: failure.reason, chatId: details.chatId, senderId: details.senderId, messageId: envelope.messageId})
        return {part: null, notes: [mediaPlaceholder(media), imageNote(failure)]}
      }
    }))
    notes.push(...loaded.flatMap((each) => each.notes))
    const parts = loaded.flatMap((each) => (each.part === null ? [] : [each.part]))
    if (parts.length > 0) envelope.images = parts
  }
  if (notes.length > 0) envelope.text = [envelope.text, ...notes].filter((part) => part !== '').join('\n')
}

function isService(message: Message): boolean {
  return ['new_chat_members', 'left_chat_member', 'new_chat_title', 'new_chat_photo', 'pinned_message', 'forum_topic_created', 'migrate_to_chat_id'].some((key) => key in message)
}
