import {z} from 'zod'

import {annotate, checkedNumber, checkedString, doc, httpUrl, id, int, pathString, pattern, secret, senderId, strictObject, text} from './primitives.js'

const GROUP_POLICIES = ['open', 'allowlist', 'disabled'] as const

/** Keys shared by group entries and forum-topic entries (no defaults: they resolve per key, telegram.md §7.1). */
function groupKeys() {
  return {
    enabled: doc(z.optional(z.boolean()), 'false ignores this chat / topic.'),
    requireMention: doc(z.optional(z.boolean()), 'Only answer when mentioned (default true).'),
    groupPolicy: doc(z.optional(z.enum(GROUP_POLICIES)), 'Sender gate for this chat / topic.'),
    allowFrom: doc(z.optional(z.array(senderId())), 'User ids admitted in this chat / topic.'),
    systemPrompt: doc(z.optional(text()), 'Extra system prompt for this chat / topic.'),
  }
}

/*
 * Accounts, groups and topics are map values behind `z.lazy`: zod builds them when it first
 * parses such an entry, so a config without them never pays for constructing those nodes
 * (which `config get` would otherwise do on every run). An optional key gains nothing from
 * `z.lazy`: its parent asks the inner schema whether it is optional, which builds it.
 */

function topicSchema() {
  return strictObject({
    ...groupKeys(),
    agentId: doc(z.optional(id()), 'Agent for this topic (acts as a peer binding).'),
  })
}

function groupSchema() {
  return strictObject({
    ...groupKeys(),
    topics: doc(z.optional(z.record(
      pattern(/^(\d+|\*)$/, 'a forum topic id (digits) or "*"'),
      z.lazy(topicSchema),
    )), 'Forum topics by thread id or "*".'),
  })
}

function retrySchema() {
  return strictObject({
    attempts: doc(z._default(int(1), 3), 'Attempts per Bot API call.'),
    minDelayMs: doc(z._default(int(0), 400), 'First retry delay in milliseconds.'),
    maxDelayMs: doc(z._default(int(0), 30_000), 'Max retry delay in milliseconds.'),
    jitter: doc(z._default(checkedNumber(z.gte(0), z.lte(1)), 0.1), 'Random fraction added to or taken from each delay.'),
  })
}

type WithoutDefaults<S extends z.core.$ZodShape> = {[K in keyof S]: S[K] extends z.ZodDefault<infer I> | z.ZodPrefault<infer I> ? z.ZodOptional<I> : S[K]}

/** The account variant of a shape: defaults dropped, so an unset key inherits the top-level value. */
function withoutDefaults<S extends z.core.$ZodShape>(shape: S): WithoutDefaults<S> {
  const out: Record<string, z.core.$ZodType> = {}
  for (const [key, schema] of Object.entries(shape)) {
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
      const description = z.globalRegistry.get(schema)?.description
      const optional = z.optional((schema._zod.def.innerType as z.ZodType))
      out[key] = description === undefined ? optional : doc(optional, description)
    } else out[key] = schema
  }
  return out as WithoutDefaults<S>
}

/** Every per-account key (telegram.md §2), with the top-level defaults. */
function accountShape() {
  return {
    enabled: doc(z._default(z.boolean(), true), 'false turns the channel (or this account) off.'),
    name: doc(z.optional(text()), 'Display name of the account.'),
    botToken: doc(z.optional(secret()), 'Bot token from @BotFather; ${VAR} recommended.'),
    tokenFile: doc(z.optional(pathString()), 'File holding the bot token (a regular file, trimmed); excludes botToken.'),
    dmPolicy: doc(z._default(z.enum(['pairing', 'allowlist', 'open', 'disabled']), 'pairing'), 'Who may DM the bot: pairing = unknown senders get a code to approve.'),
    allowFrom: doc(z._default(z.array(senderId()), []), 'User ids allowed to DM ("tg:"/"telegram:" prefixes ok; "*" = everyone).'),
    groupPolicy: doc(z._default(z.enum(GROUP_POLICIES), 'allowlist'), 'Who may talk to the bot in groups.'),
    groupAllowFrom: doc(z.optional(z.array(senderId())), 'User ids admitted in groups (falls back to allowFrom).'),
    groups: doc(z.optional(z.record(
      pattern(/^(-?\d+|\*)$/, 'a chat id (like -1001234567890) or "*"'),
      z.lazy(groupSchema),
    )), 'Per-chat settings by chat id or "*"; when set, only listed chats are served.'),
    historyLimit: doc(z._default(int(0), 50), 'Unmentioned group messages kept as context.'),
    dmHistoryLimit: doc(z.optional(int(0)), 'History limit for direct chats.'),
    replyToMode: doc(z._default(z.enum(['off', 'first', 'all']), 'off'), 'Reply-quote the triggering message: off, first chunk, or all chunks.'),
    streaming: doc(z._default(z.enum(['off', 'partial', 'block']), 'partial'), 'Live preview of replies while they are generated.'),
    textChunkLimit: doc(z._default(int(1, 4096), 4000), 'Max chars per outgoing message.'),
    chunkMode: doc(z._default(z.enum(['length', 'newline']), 'length'), 'Split long replies by length or at newlines.'),
    linkPreview: doc(z._default(z.boolean(), true), 'Show link previews in replies.'),
    mediaMaxMb: doc(z._default(checkedNumber(z.gt(0)), 5), 'Max inbound media size in MB.'),
    reactionNotifications: doc(z._default(z.enum(['off', 'own', 'all']), 'own'), 'Which reactions reach the agent: off, reactions to the bot messages, or all.'),
    responsePrefix: doc(z.optional(z.string()), 'Text put before every reply.'),
    proxy: doc(z.optional(httpUrl()), 'HTTP proxy URL (not supported in v1: an account with proxy does not start).'),
    webhookUrl: doc(z.optional(httpUrl({httpsOnly: true})), 'Public https:// URL; when set the account uses webhook mode.'),
    webhookSecret: doc(
      z.optional(annotate(pattern(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -'), {typeLabel: 'secret', secret: true})),
      'Secret Telegram sends with each webhook request; required with webhookUrl.',
    ),
    webhookPath: doc(z._default(pattern(/^\//, 'a path starting with /'), '/telegram-webhook'), 'HTTP path of the webhook listener.'),
    webhookHost: doc(z._default(text(), '127.0.0.1'), 'Address the webhook listener binds.'),
    webhookPort: doc(z._default(int(1, 65_535), 8787), 'Port the webhook listener binds.'),
    configWrites: doc(z._default(z.boolean(), true), 'Allow config changes from Telegram (e.g. group migrations).'),
    customCommands: doc(z._default(z.array(strictObject({
      command: doc(pattern(/^\/?[a-z0-9_]{1,32}$/, 'a command name of 1-32 lower-case letters, digits or _'), 'Command name.'),
      description: doc(checkedString(z.minLength(1), z.maxLength(256)), 'Description shown in the Telegram menu.'),
    })), []), 'Extra entries for the bot command menu.'),
    retry: doc(z.prefault(retrySchema(), {}), 'Retry policy for Bot API calls.'),
    apiRoot: doc(z._default(httpUrl({noTrailingSlash: true}), 'https://api.telegram.org'), 'Bot API base URL, without a trailing / (self-hosted Bot API servers, tests).'),
  }
}

function accountSchema() {
  return annotate(strictObject(withoutDefaults(accountShape())), {docCollapse: true})
}

/** `channels.telegram` (config.md §7.6, telegram.md). */
function telegramSchema() {
  return strictObject({
    ...accountShape(),
    accounts: doc(z.optional(z.record(id(), z.lazy(accountSchema))), 'Bot accounts by id; each inherits every top-level key it does not set.'),
    defaultAccount: doc(z.optional(id()), 'Account used when none is named (a key of accounts).'),
  })
}

/** `channels`: one key per channel implementation. */
export const ChannelsSchema = strictObject({
  telegram: doc(z.optional(telegramSchema()), 'Telegram bot channel.'),
})

