import {z} from 'zod'

import {anyKey, doc, int, params, senderId, strictObject, stringList, text} from './primitives.js'

/** `meta` (config.md §7.9): stamped by owned writes. */
export function metaSchema() {
  return strictObject({
    lastTouchedVersion: doc(z.optional(z.string()), 'openclaw version of the last owned write.'),
    lastTouchedAt: doc(z.optional(z.string()), 'Time of the last owned write (ISO 8601).'),
  })
}

/** `wizard` (config.md §7.9): written by onboarding. */
export function wizardSchema() {
  return strictObject({
    lastRunAt: doc(z.optional(z.string()), 'Time of the last onboarding run (ISO 8601).'),
    lastRunVersion: doc(z.optional(z.string()), 'openclaw version of the last onboarding run.'),
    lastRunCommand: doc(z.optional(z.string()), 'Command of the last onboarding run.'),
    lastRunMode: doc(z.optional(z.enum(['local', 'remote'])), 'Gateway mode chosen in the last onboarding run.'),
    lastRunFlow: doc(z.optional(z.enum(['quickstart', 'manual'])), 'Flow of the last onboarding run.'),
    lastRunCommit: doc(z.optional(z.string()), 'Commit of the last onboarding run (kept from upstream files).'),
  })
}

/** `auth` (config.md §7.10): metadata only; secrets live in auth-profiles.json. */
export const AuthSchema = strictObject({
  profiles: doc(z._default(z.record(anyKey(), z.lazy(() => strictObject({
    provider: doc(text(), 'Model provider id.'),
    mode: doc(z.enum(['api_key', 'oauth', 'token']), 'Credential kind.'),
    email: doc(z.optional(z.string()), 'Account email (OAuth).'),
  }))), {}), 'Credential profiles by id ("<provider>:default").'),
  order: doc(z._default(z.record(anyKey(), stringList()), {}), 'Provider -> profile ids in the order they are tried.'),
})

/** `messages` (config.md §7.10, runtime.md §8.5). */
export const MessagesSchema = strictObject({
  responsePrefix: doc(z.optional(z.string()), 'Text put before every reply on every channel.'),
  ackReaction: doc(z.optional(z.string()), 'Emoji reaction sent when a message is picked up.'),
  ackReactionScope: doc(z.optional(z.enum(['group-mentions', 'group-all', 'direct', 'all'])), 'Which messages get the ack reaction.'),
  queue: doc(z.prefault(strictObject({
    mode: doc(z._default(z.enum(['collect', 'followup', 'steer', 'interrupt']), 'collect'),
      'What a message arriving during a run does: collect into one turn, followup turns, steer the run, or interrupt it.'),
    debounceMs: doc(z._default(int(0), 1000), 'Quiet time before collected messages run, in milliseconds.'),
    cap: doc(z._default(int(1), 20), 'Max queued messages per session (the oldest are dropped).'),
  }), {}), 'Per-session queue for messages that arrive during a run.'),
  groupChat: doc(z.optional(strictObject({
    historyLimit: doc(z.optional(int(0)), 'Unmentioned group messages kept as context.'),
    mentionPatterns: doc(z.optional(stringList()), 'Regex sources (compiled with iu) that count as a mention in groups.'),
  })), 'Group chat defaults for all agents.'),
})

/** `commands` (config.md §7.10, runtime.md §7). */
export const CommandsSchema = strictObject({
  native: doc(z.optional(z.union([z.boolean(), z.literal('auto')])), 'Register chat commands in the channel command menu.'),
  text: doc(z.optional(z.boolean()), 'Parse /commands in message text.'),
  config: doc(z._default(z.boolean(), false), 'Allow /config from chats.'),
  debug: doc(z._default(z.boolean(), false), 'Allow /debug from chats.'),
  restart: doc(z._default(z.boolean(), true), 'Allow /restart from chats.'),
  bash: doc(z._default(z.boolean(), false), 'Allow ! shell commands from chats.'),
  allowFrom: doc(z.optional(z.record(anyKey(), z.array(senderId()))), 'Channel -> sender ids allowed to run commands (replaces the channel rule).'),
  ownerAllowFrom: doc(z.optional(z.array(senderId())), 'Sender ids that approve exec requests.'),
})

/** `plugins` (config.md §7.10): validated; no plugins load in phase 1. */
export function pluginsSchema() {
  return strictObject({
    enabled: doc(z.optional(z.boolean()), 'Load plugins (none load in phase 1).'),
    allow: doc(z.optional(stringList()), 'Plugin ids allowed to load.'),
    deny: doc(z.optional(stringList()), 'Plugin ids never loaded.'),
    entries: doc(z.optional(z.record(anyKey(), strictObject({
      enabled: doc(z.optional(z.boolean()), 'Load this plugin.'),
      config: doc(z.optional(params()), 'Plugin settings (values unchecked).'),
    }))), 'Per-plugin settings by id.'),
  })
}
