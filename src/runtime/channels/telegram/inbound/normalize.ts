import type {Message, UserFromGetMe} from 'grammy/types'

import type {InboundEnvelope, MediaRef} from '../../../routing/envelope.js'

/** Telegram message → the runtime's envelope (telegram.md §8). Pure; `mentioned` is decided by the caller's gates. */
export function normalizeMessage(message: Message, context: {accountId: string; updateId: number; me: UserFromGetMe; receivedAt: number}): InboundEnvelope {
  const chatId = String(message.chat.id)
  const isGroup = message.chat.type === 'group' || message.chat.type === 'supergroup'
  const isForum = isGroup && message.chat.type === 'supergroup' && message.chat.is_forum === true
  const topicId = isForum ? String(message.is_topic_message ? message.message_thread_id : 1) : undefined
  const from = message.from
  const sender = message.sender_chat
    ? {id: `chat:${message.sender_chat.id}`, displayName: 'title' in message.sender_chat ? message.sender_chat.title ?? 'chat' : 'chat', isBot: false}
    : {id: String(from?.id ?? 0), ...(from?.username ? {username: from.username} : {}), displayName: [from?.first_name, from?.last_name].filter(Boolean).join(' ') || 'User', isBot: from?.is_bot ?? false}
  const envelope: InboundEnvelope = {
    channel: 'telegram',
    accountId: context.accountId,
    messageId: String(message.message_id),
    dedupeKey: `telegram:${context.accountId}:u:${context.updateId}`,
    peer: isGroup ? {kind: 'group', id: topicId === undefined ? chatId : `${chatId}:topic:${topicId}`} : {kind: 'direct', id: String(from?.id ?? chatId)},
    sender,
    text: message.text ?? message.caption ?? renderSpecial(message),
    media: mediaOf(message),
    mentioned: !isGroup,
    sentAt: message.date * 1000,
    receivedAt: context.receivedAt,
  }
  if (isGroup) envelope.chatTitle = message.chat.title
  if (topicId !== undefined) {
    envelope.parentPeer = {kind: 'group', id: chatId}
    envelope.threadId = topicId
    envelope.topic = {id: topicId, isGeneral: topicId === '1'}
  }
  const reply = message.reply_to_message
  const isTopicRoot = reply !== undefined && (reply.forum_topic_created !== undefined || (isForum && reply.message_id === message.message_thread_id))
  if (reply && !isTopicRoot) {
    envelope.replyTo = {
      messageId: String(reply.message_id),
      ...(reply.from ? {senderId: String(reply.from.id), senderName: reply.from.first_name} : {}),
      text: (message.quote?.text ?? reply.text ?? reply.caption ?? '').slice(0, 500),
      isFromSelf: reply.from?.id === context.me.id,
    }
  }
  const origin = message.forward_origin
  if (origin) envelope.forwardedFrom = origin.type === 'user' ? origin.sender_user.first_name : origin.type === 'hidden_user' ? origin.sender_user_name : origin.type === 'chat' ? origin.sender_chat.title ?? 'chat' : origin.chat.title
  const command = commandOf(message)
  if (command) envelope.command = command
  return envelope
}

/**
 * One envelope for an album (telegram.md §8): the first part's identity (message id, dedupe key,
 * reply threading), every part's media in order, and the captions (usually one part has it). Pure.
 */
export function mergeAlbum(first: InboundEnvelope, others: readonly InboundEnvelope[]): InboundEnvelope {
  if (others.length === 0) return first
  const all = [first, ...others]
  return {...first, text: all.map((part) => part.text).filter((text) => text !== '').join('\n'), media: all.flatMap((part) => part.media)}
}

function commandOf(message: Message): InboundEnvelope['command'] | undefined {
  const entity = message.entities?.[0]
  if (!entity || entity.type !== 'bot_command' || entity.offset !== 0 || !message.text) return undefined
  const [name, addressedTo] = message.text.slice(1, entity.length).split('@')
  return {name: name.toLowerCase(), args: message.text.slice(entity.length).trim(), ...(addressedTo ? {addressedTo} : {})}
}

function renderSpecial(message: Message): string {
  if (message.venue) return `[venue ${message.venue.title}, ${message.venue.address}]`
  if (message.location) return `[location ${message.location.latitude.toFixed(2)},${message.location.longitude.toFixed(2)}]`
  if (message.contact) return `[contact ${message.contact.first_name} ${message.contact.phone_number}]`
  return ''
}

function mediaOf(message: Message): MediaRef[] {
  if (message.photo && message.photo.length > 0) {
    const largest = message.photo.reduce((a, b) => ((b.width * b.height) > (a.width * a.height) ? b : a))
    return [{kind: 'image', fileId: largest.file_id, width: largest.width, height: largest.height, ...(largest.file_size ? {sizeBytes: largest.file_size} : {}), mimeType: 'image/jpeg'}]
  }
  const doc = message.document
  if (doc) return [{kind: doc.mime_type?.startsWith('image/') ? 'image' : 'document', fileId: doc.file_id, ...(doc.file_name ? {fileName: doc.file_name} : {}), ...(doc.mime_type ? {mimeType: doc.mime_type} : {}), ...(doc.file_size ? {sizeBytes: doc.file_size} : {})}]
  const simple: Array<[MediaRef['kind'], {file_id: string; file_size?: number; duration?: number} | undefined]> = [
    ['audio', message.audio], ['voice', message.voice], ['video', message.video], ['video', message.video_note], ['animation', message.animation], ['sticker', message.sticker],
  ]
  for (const [kind, media] of simple) {
    if (media) return [{kind, fileId: media.file_id, ...(media.file_size ? {sizeBytes: media.file_size} : {}), ...(media.duration ? {durationSec: media.duration} : {}), ...(kind === 'sticker' && message.sticker?.emoji ? {fileName: message.sticker.emoji} : {})}]
  }
  return []
}
