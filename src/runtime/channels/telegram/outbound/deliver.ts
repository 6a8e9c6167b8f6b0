import type {Api} from 'grammy'

import type {TelegramAccountSettings} from '../accounts.js'
import {callWithPolicy, SpecialAnswer, UncertainSend} from './call-policy.js'
import {chunkTelegramHtml} from './chunk-html.js'
import {htmlToPlainText, markdownToTelegramHtml} from './markdown-html.js'

/** Where a reply goes (telegram.md §10.1). `threadId` "1" is the General topic of a forum. */
export interface ReplyTarget {
  chatId: string
  threadId?: string
  replyToMessageId?: number
}

export type DeliverySettings = Pick<TelegramAccountSettings, 'textChunkLimit' | 'chunkMode' | 'linkPreview' | 'responsePrefix' | 'replyToMode' | 'retry'>

/** Renders Markdown and splits it into HTML chunks (§10.2, §10.3). */
export function renderChunks(markdown: string, settings: DeliverySettings): string[] {
  const prefixed = settings.responsePrefix ? `${settings.responsePrefix}${markdown}` : markdown
  return chunkTelegramHtml(markdownToTelegramHtml(prefixed), {limit: Math.min(settings.textChunkLimit, 4096), mode: settings.chunkMode})
}

function baseParams(target: ReplyTarget, settings: DeliverySettings, method: 'sendMessage' | 'sendChatAction'): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  // General topic: sendMessage omits the thread id, sendChatAction keeps it (§7.3).
  if (target.threadId !== undefined && !(target.threadId === '1' && method === 'sendMessage')) params.message_thread_id = Number(target.threadId)
  if (method === 'sendMessage' && !settings.linkPreview) params.link_preview_options = {is_disabled: true}
  return params
}

/**
 * Sends one HTML chunk; a parse error resends it as plain text (not counted as a retry).
 * Returns the message id. Throws UncertainSend when the request may have reached Telegram.
 */
export async function sendChunk(api: Api, target: ReplyTarget, html: string, settings: DeliverySettings, replyTo: number | undefined, onWarn: (message: string) => void): Promise<number> {
  const params = {...baseParams(target, settings, 'sendMessage'), ...(replyTo === undefined ? {} : {reply_parameters: {message_id: replyTo, allow_sending_without_reply: true}})}
  try {
    const sent = await callWithPolicy('sendMessage', false, settings.retry, () => api.sendMessage(target.chatId, html, {...params, parse_mode: 'HTML'}))
    return sent.message_id
  } catch (error) {
    if (!(error instanceof SpecialAnswer) || error.failure.action !== 'plain-resend') throw error
    onWarn(`Telegram refused the HTML of a reply in chat ${target.chatId} (${error.message}); sent as plain text`)
    const sent = await callWithPolicy('sendMessage', false, settings.retry, () => api.sendMessage(target.chatId, htmlToPlainText(html), params))
    return sent.message_id
  }
}

/** Edits a preview into final chunk 1 (§10.5): not-modified is success; a lost preview returns null (send it new). */
export async function editChunk(api: Api, target: ReplyTarget, messageId: number, html: string, settings: DeliverySettings): Promise<number | null> {
  const edit = (text: string, parseMode?: 'HTML') => callWithPolicy('editMessageText', true, settings.retry, () => api.editMessageText(target.chatId, messageId, text, parseMode ? {parse_mode: parseMode} : {}))
  try {
    await edit(html, 'HTML')
    return messageId
  } catch (error) {
    if (!(error instanceof SpecialAnswer)) throw error
    if (error.failure.action === 'not-modified') return messageId
    if (error.failure.action === 'plain-resend') {
      try {
        await edit(htmlToPlainText(html))
        return messageId
      } catch (inner) {
        if (inner instanceof SpecialAnswer && inner.failure.action === 'not-modified') return messageId
        if (inner instanceof SpecialAnswer) return null
        throw inner
      }
    }
    return null
  }
}

/** Sends a whole reply as chunks; threading per replyToMode. Returns the sent message ids. */
export async function sendReply(api: Api, target: ReplyTarget, markdown: string, settings: DeliverySettings, onWarn: (message: string) => void): Promise<number[]> {
  const ids: number[] = []
  for (const [index, chunk] of renderChunks(markdown, settings).entries()) {
    const replyTo = settings.replyToMode === 'all' || (settings.replyToMode === 'first' && index === 0) ? target.replyToMessageId : undefined
    ids.push(await sendChunk(api, target, chunk, settings, replyTo, onWarn))
  }
  return ids
}

export {UncertainSend}
