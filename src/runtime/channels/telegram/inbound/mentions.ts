import type {Message} from 'grammy/types'

import type {InboundEnvelope} from '../../../routing/envelope.js'

/** telegram.md §7.2: how a group message addresses the bot, or undefined. Pure. */
export function detectMention(message: Message, bot: {id: number; username: string}, patterns: readonly RegExp[]): InboundEnvelope['mentionSource'] | undefined {
  const text = message.text ?? message.caption ?? ''
  const entities = message.entities ?? message.caption_entities ?? []
  const handle = `@${bot.username}`.toLowerCase()
  for (const entity of entities) {
    const slice = text.slice(entity.offset, entity.offset + entity.length)
    if (entity.type === 'mention' && slice.toLowerCase() === handle) return 'entity'
    if (entity.type === 'text_mention' && entity.user.id === bot.id) return 'text_mention'
    if (entity.type === 'bot_command' && entity.offset === 0 && slice.toLowerCase().endsWith(handle)) return 'command'
  }
  const reply = message.reply_to_message
  const isTopicRoot = reply !== undefined && (reply.forum_topic_created !== undefined || reply.message_id === message.message_thread_id)
  if (reply?.from?.id === bot.id && !isTopicRoot) return 'reply'
  if (patterns.some((pattern) => pattern.test(text))) return 'pattern'
  return undefined
}
