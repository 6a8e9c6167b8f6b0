import {Api} from 'grammy'

import {classifyTelegramFailure} from './classify-error.js'
import {toTelegramFailure} from './to-failure.js'

export type TokenCheck = {ok: true; botUsername: string; botId: number} | {ok: false; rejected: boolean; message: string}

/** One `getMe` against `apiRoot` (channels add, status --probe); never polls. */
export async function verifyBotToken(token: string, apiRoot: string, timeoutMs: number): Promise<TokenCheck> {
  try {
    const me = await new Api(token, {apiRoot}).getMe(AbortSignal.timeout(timeoutMs) as unknown as Parameters<Api['getMe']>[0])
    return {ok: true, botUsername: me.username, botId: me.id}
  } catch (error) {
    const failure = classifyTelegramFailure(toTelegramFailure(error, 'getMe'))
    return {ok: false, rejected: failure.code === 'TELEGRAM_TOKEN_REJECTED', message: failure.message}
  }
}

/** Sends one plain text message directly through the Bot API (pairing --notify without a gateway). */
export async function sendPlainDirect(token: string, apiRoot: string, chatId: string, text: string): Promise<void> {
  await new Api(token, {apiRoot}).sendMessage(chatId, text)
}
