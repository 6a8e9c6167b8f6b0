import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {parseTelegramHtml} from './html.js'

/**
 * A fake Telegram Bot API (telegram.md §12): a real HTTP server on 127.0.0.1:0 speaking the Bot
 * API wire format, so grammY, our poll loop, limiter and renderer run for real against it.
 * Tests drive it (queue updates, inject faults) and read what the bot sent from its record.
 */

export interface FakeBotInfo {token: string; id: number; username: string; canReadAllGroupMessages?: boolean}
export interface ApiErrorBody {error_code: number; description: string; parameters?: {retry_after?: number; migrate_to_chat_id?: number}}
export interface RecordedCall {method: string; botId: number; params: Record<string, unknown>
  /** When the answer was ready (a held long poll: when it was released); `receivedAt`: when the request arrived. */
  at: number; receivedAt?: number; ok: boolean; result?: unknown; error?: ApiErrorBody
  /** The client had closed the connection before the answer (an aborted long poll): nobody saw it. */
  clientGone?: boolean}
type Update = Record<string, unknown> & {update_id: number}
interface Msg {text: string; deleted: boolean; threadId?: number}
interface BotState {
  info: FakeBotInfo
  updates: Update[]
  nextUpdateId: number
  held: Array<{resolve: (body: unknown) => void}>
  peakPollers: number
  webhook: {url: string; secret?: string} | null
  chats: Map<string, {next: number; messages: Map<number, Msg>}>
}

export interface FakeTelegram {
  apiRoot: string
  /** Every API call, in arrival order (optionally one method / one bot). */
  calls(method?: string, botId?: number): RecordedCall[]
  pushUpdate(raw: Record<string, unknown>, botId?: number): Update
  dm(options: {from: {id: number; username?: string; first_name?: string; last_name?: string}; text?: string; botId?: number; extra?: Record<string, unknown>}): Update
  groupMessage(options: {chat: {id: number; title?: string; is_forum?: boolean}; from: {id: number; username?: string; first_name?: string}; text: string; entities?: unknown[]; threadId?: number; replyTo?: Record<string, unknown>; botId?: number}): Update
  /** The next `times` calls of `method` (of bot `botId` only, when given) fail with `error`. */
  failNext(method: string, error: ApiErrorBody, options?: {times?: number; botId?: number}): void
  blockUser(chatId: number): void
  dropConnection(method: string, options?: {times?: number}): void
  delay(method: string, ms: number): void
  addFile(fileId: string, bytes: Buffer): void
  /** What the user sees in a chat: each visible message's text, after edits and deletes. */
  visibleText(chatId: number | string, botId?: number): string[]
  waitFor(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>
  peakPollers(botId?: number): number
  close(): Promise<void>
}

export async function startFakeTelegram(options: {bots: FakeBotInfo[]; holdMs?: number}): Promise<FakeTelegram> {
  const holdMs = options.holdMs ?? 100
  const bots = new Map<string, BotState>(options.bots.map((info) => [info.token, {info, updates: [], nextUpdateId: 1000, held: [], peakPollers: 0, webhook: null, chats: new Map()}]))
  const record: RecordedCall[] = []
  const failures = new Map<string, Array<{error: ApiErrorBody; times: number; botId?: number}>>()
  const drops = new Map<string, number>()
  const delays = new Map<string, number>()
  const blocked = new Set<string>()
  const files = new Map<string, Buffer>()
  const waiters: Array<() => void> = []
  let clock = Math.floor(Date.now() / 1000)

  const byId = (botId?: number): BotState => {
    const state = botId === undefined ? [...bots.values()][0] : [...bots.values()].find((b) => b.info.id === botId)
    if (!state) throw new Error(`fake telegram: no bot ${botId}`)
    return state
  }
  const chatOf = (bot: BotState, chatId: string) => {
    let chat = bot.chats.get(chatId)
    if (!chat) bot.chats.set(chatId, (chat = {next: 1, messages: new Map()}))
    return chat
  }
  const notify = () => waiters.splice(0).forEach((wake) => wake())

  function pushUpdate(raw: Record<string, unknown>, botId?: number): Update {
    const bot = byId(botId)
    const update = {...raw, update_id: bot.nextUpdateId++} as Update
    bot.updates.push(update)
    const held = bot.held.shift()
    if (held) held.resolve({ok: true, result: [update]})
    return update
  }

  const apiError = (error: ApiErrorBody) => ({ok: false, ...error})

  function handle(bot: BotState, method: string, params: Record<string, unknown>): unknown | Promise<unknown> {
    const queue = failures.get(method) ?? []
    const queued = queue.find((f) => f.botId === undefined || f.botId === bot.info.id)
    if (queued) {
      if (--queued.times <= 0) queue.splice(queue.indexOf(queued), 1)
      return apiError(queued.error)
    }
    const chatId = params.chat_id === undefined ? undefined : String(params.chat_id)
    if (chatId !== undefined && blocked.has(chatId) && method !== 'sendChatAction') return apiError({error_code: 403, description: 'Forbidden: bot was blocked by the user'})
    switch (method) {
      case 'getMe':
        return {ok: true, result: {id: bot.info.id, is_bot: true, first_name: bot.info.username, username: bot.info.username, can_join_groups: true, can_read_all_group_messages: bot.info.canReadAllGroupMessages ?? false, supports_inline_queries: false}}
      case 'getUpdates':
        return getUpdates(bot, params)
      case 'setWebhook':
        bot.webhook = {url: String(params.url), secret: params.secret_token as string | undefined}
        return {ok: true, result: true}
      case 'deleteWebhook':
        bot.webhook = null
        if (params.drop_pending_updates === true) bot.updates = []
        return {ok: true, result: true}
      case 'getWebhookInfo':
        return {ok: true, result: {url: bot.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: bot.webhook ? bot.updates.length : 0}}
      case 'setMyCommands':
      case 'sendChatAction':
        return {ok: true, result: true}
      case 'sendMessage':
        return sendMessage(bot, chatId!, params)
      case 'editMessageText':
        return editMessage(bot, chatId!, params)
      case 'deleteMessage': {
        const msg = chatOf(bot, chatId!).messages.get(Number(params.message_id))
        if (!msg || msg.deleted) return apiError({error_code: 400, description: 'Bad Request: message to delete not found'})
        msg.deleted = true
        return {ok: true, result: true}
      }
      case 'getFile': {
        const bytes = files.get(String(params.file_id))
        if (!bytes) return apiError({error_code: 400, description: 'Bad Request: invalid file_id'})
        return {ok: true, result: {file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: bytes.length, file_path: `photos/${params.file_id}.jpg`}}
      }
      default:
        return apiError({error_code: 404, description: 'Not Found'})
    }
  }

  function getUpdates(bot: BotState, params: Record<string, unknown>): unknown {
    if (bot.webhook) return apiError({error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})
    const offset = params.offset === undefined ? undefined : Number(params.offset)
    if (offset !== undefined) bot.updates = bot.updates.filter((u) => u.update_id >= offset)
    // A new poll ends the one Telegram still holds for this token: that one gets the 409.
    for (const held of bot.held.splice(0)) held.resolve(apiError({error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'}))
    const limit = Math.min(Number(params.limit ?? 100), 100)
    if (bot.updates.length > 0) return {ok: true, result: bot.updates.slice(0, limit)}
    const timeoutMs = Math.min(Number(params.timeout ?? 0) * 1000, holdMs)
    if (timeoutMs <= 0) return {ok: true, result: []}
    return new Promise((resolve) => {
      const entry = {resolve: (body: unknown) => {
        clearTimeout(timer)
        bot.held = bot.held.filter((h) => h !== entry)
        resolve(body)
      }}
      const timer = setTimeout(() => entry.resolve({ok: true, result: []}), timeoutMs)
      bot.held.push(entry)
      bot.peakPollers = Math.max(bot.peakPollers, bot.held.length)
    })
  }

  function checkText(text: string, parseMode: unknown): {ok: true; visible: string} | {ok: false; body: unknown} {
    const parsed = parseMode === 'HTML' ? parseTelegramHtml(text) : {ok: true as const, visible: text}
    if (!parsed.ok) return {ok: false, body: apiError({error_code: 400, description: `Bad Request: ${parsed.error}`})}
    if (parsed.visible.trim() === '') return {ok: false, body: apiError({error_code: 400, description: 'Bad Request: message text is empty'})}
    if (parsed.visible.length > 4096) return {ok: false, body: apiError({error_code: 400, description: 'Bad Request: message is too long'})}
    return parsed
  }

  function sendMessage(bot: BotState, chatId: string, params: Record<string, unknown>): unknown {
    const checked = checkText(String(params.text ?? ''), params.parse_mode)
    if (!checked.ok) return checked.body
    const chat = chatOf(bot, chatId)
    const reply = params.reply_parameters as {message_id?: number; allow_sending_without_reply?: boolean} | undefined
    if (reply?.message_id !== undefined && !chat.messages.has(reply.message_id) && reply.allow_sending_without_reply !== true) {
      return apiError({error_code: 400, description: 'Bad Request: message to be replied not found'})
    }
    const id = chat.next++
    const threadId = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id)
    chat.messages.set(id, {text: checked.visible, deleted: false, threadId})
    return {ok: true, result: {message_id: id, date: clock++, chat: {id: Number(chatId), type: Number(chatId) < 0 ? 'supergroup' : 'private'}, text: checked.visible, ...(threadId === undefined ? {} : {message_thread_id: threadId})}}
  }

  function editMessage(bot: BotState, chatId: string, params: Record<string, unknown>): unknown {
    const msg = chatOf(bot, chatId).messages.get(Number(params.message_id))
    if (!msg || msg.deleted) return apiError({error_code: 400, description: 'Bad Request: message to edit not found'})
    const checked = checkText(String(params.text ?? ''), params.parse_mode)
    if (!checked.ok) return checked.body
    if (checked.visible === msg.text) return apiError({error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'})
    msg.text = checked.visible
    return {ok: true, result: {message_id: Number(params.message_id), date: clock++, chat: {id: Number(chatId), type: 'private'}, text: checked.visible}}
  }

  const server = http.createServer((req, res) => {
    const receivedAt = Date.now()
    let clientGone = false
    res.on('close', () => (clientGone = !res.writableFinished))
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        const file = /^\/file\/bot([^/]+)\/photos\/(.+)\.jpg$/.exec(url.pathname)
        if (file) {
          const bytes = bots.has(file[1]) ? files.get(file[2]) : undefined
          // Recorded as method `downloadFile` (params.file_id), so tests can prove a download did not happen.
          const botId = bots.get(file[1])?.info.id ?? 0
          record.push({method: 'downloadFile', botId, params: {file_id: file[2]}, at: Date.now(), receivedAt, ok: bytes !== undefined})
          notify()
          res.writeHead(bytes ? 200 : 404).end(bytes ?? 'not found')
          return
        }
        const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname)
        const bot = match ? bots.get(match[1]) : undefined
        const send = (body: unknown) => res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(body))
        if (!match || !bot) {
          res.writeHead(match ? 401 : 404, {'content-type': 'application/json'}).end(JSON.stringify(match ? apiError({error_code: 401, description: 'Unauthorized'}) : {ok: false, error_code: 404, description: 'Not Found'}))
          return
        }
        const method = match[2]
        const params = await parseParams(req, url, Buffer.concat(chunks))
        const wait = delays.get(method)
        if (wait) await new Promise((r) => setTimeout(r, wait))
        const drop = drops.get(method) ?? 0
        if (drop > 0) {
          drops.set(method, drop - 1)
          record.push({method, botId: bot.info.id, params, at: Date.now(), ok: false, error: {error_code: 0, description: 'connection dropped'}})
          notify()
          req.socket.destroy()
          return
        }
        const body = (await handle(bot, method, params)) as {ok: boolean; result?: unknown} & Partial<ApiErrorBody>
        const entry: RecordedCall = {method, botId: bot.info.id, params, at: Date.now(), receivedAt, ok: body.ok, ...(clientGone ? {clientGone: true} : {})}
        if (body.ok) entry.result = body.result
        else entry.error = {error_code: body.error_code!, description: body.description!, ...(body.parameters ? {parameters: body.parameters} : {})}
        record.push(entry)
        notify()
        if (!res.destroyed) send(body)
      })()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls: (method, botId) => record.filter((c) => (method === undefined || c.method === method) && (botId === undefined || c.botId === botId)),
    pushUpdate,
    dm: ({from, text, botId, extra}) => pushUpdate({message: {message_id: nextInbound(), date: clock++, chat: {id: from.id, type: 'private', first_name: from.first_name ?? 'User', username: from.username}, from: {is_bot: false, first_name: 'User', ...from}, ...(text === undefined ? {} : {text}), ...extra}}, botId),
    groupMessage: ({chat, from, text, entities, threadId, replyTo, botId}) => pushUpdate({message: {
      message_id: nextInbound(), date: clock++, chat: {type: 'supergroup', title: 'Group', ...chat}, from: {is_bot: false, first_name: 'User', ...from}, text,
      ...(entities ? {entities} : {}), ...(threadId === undefined ? {} : {message_thread_id: threadId, is_topic_message: true}), ...(replyTo ? {reply_to_message: replyTo} : {}),
    }}, botId),
    failNext: (method, error, opts) => failures.set(method, [...(failures.get(method) ?? []), {error, times: opts?.times ?? 1, ...(opts?.botId === undefined ? {} : {botId: opts.botId})}]),
    blockUser: (chatId) => blocked.add(String(chatId)),
    dropConnection: (method, opts) => drops.set(method, (drops.get(method) ?? 0) + (opts?.times ?? 1)),
    delay: (method, ms) => delays.set(method, ms),
    addFile: (fileId, bytes) => files.set(fileId, bytes),
    visibleText: (chatId, botId) => [...(byId(botId).chats.get(String(chatId))?.messages.values() ?? [])].filter((m) => !m.deleted).map((m) => m.text),
    waitFor: (method, predicate = () => true, timeoutMs = 5000) => new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`fake telegram: no ${method} within ${timeoutMs} ms`)), timeoutMs)
      const check = () => {
        const hit = record.find((c) => c.method === method && predicate(c))
        if (hit) {
          clearTimeout(deadline)
          resolve(hit)
        } else waiters.push(check)
      }
      check()
    }),
    peakPollers: (botId) => byId(botId).peakPollers,
    close: () => new Promise((resolve) => {
      for (const bot of bots.values()) for (const held of bot.held.splice(0)) held.resolve({ok: true, result: []})
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }

  function nextInbound(): number {
    return record.length + 1 + Math.floor(Math.random() * 1e6)
  }
}

async function parseParams(req: http.IncomingMessage, url: URL, body: Buffer): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams)
  const type = req.headers['content-type'] ?? ''
  if (body.length === 0) return params
  if (type.includes('application/json')) return {...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>)}
  // Form and multipart bodies: the platform's own parser, values JSON-decoded where they are JSON.
  const form = await new Request('http://fake/', {method: 'POST', headers: {'content-type': type}, body: new Uint8Array(body)}).formData()
  for (const [key, value] of form) {
    if (typeof value !== 'string') continue
    try {
      params[key] = JSON.parse(value)
    } catch {
      params[key] = value
    }
  }
  return params
}
