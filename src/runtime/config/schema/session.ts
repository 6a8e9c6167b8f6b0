import {z} from 'zod'

import {anyKey, doc, dur, id, int, pathString, strictObject, stringList, text} from './primitives.js'

/** Reset policy; `withDefaults: false` is the per-type / per-channel override shape. */
function resetSchema(withDefaults: boolean) {
  const mode = doc(z.enum(['daily', 'idle', 'none']), 'daily: new session at atHour; idle: after idleMinutes without messages; none: never.')
  const atHour = doc(int(0, 23), 'Local hour of the daily reset (default 4).')
  return strictObject({
    mode: withDefaults ? z._default(mode, 'daily') : z.optional(mode),
    atHour: withDefaults ? z._default(atHour, 4) : z.optional(atHour),
    idleMinutes: doc(z.optional(int(1)), 'Minutes without messages before an idle reset.'),
  })
}

/** Reset overrides are built when zod first parses one (`z.lazy`): most configs have none. */
const resetOverride = () => resetSchema(false)

/** `session` (config.md §7.4). */
export const SessionSchema = strictObject({
  scope: doc(z._default(z.enum(['per-sender', 'global']), 'per-sender'), 'global: one session for every conversation.'),
  dmScope: doc(z._default(z.enum(['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer']), 'main'), 'How direct messages map to sessions; main shares one session between all DM senders.'),
  mainKey: doc(z._default(text(), 'main'), 'Name of the main session key (agent:<id>:<mainKey>).'),
  identityLinks: doc(z._default(z.record(anyKey(), stringList()), {}), 'Canonical name -> peer ids ("telegram:123" or "123") treated as one person when dmScope is not main.'),
  reset: doc(z.prefault(resetSchema(true), {}), 'When a session starts over.'),
  resetByType: doc(z.optional(strictObject({
    direct: doc(z.optional(z.lazy(resetOverride)), 'Reset policy for direct chats.'),
    group: doc(z.optional(z.lazy(resetOverride)), 'Reset policy for groups.'),
    thread: doc(z.optional(z.lazy(resetOverride)), 'Reset policy for threads / forum topics.'),
  })), 'Reset policy per chat type, merged over reset.'),
  resetByChannel: doc(z._default(z.record(anyKey(), z.lazy(resetOverride)), {}), 'Reset policy per channel id, merged over reset.'),
  resetTriggers: doc(z._default(stringList(), ['/new', '/reset']), 'Messages that start a new session.'),
  store: doc(z.optional(pathString()), 'Session index path template with {agentId} (default <state>/agents/{agentId}/sessions/sessions.json).'),
  maintenance: doc(z.prefault(strictObject({
    mode: doc(z._default(z.enum(['warn', 'enforce']), 'warn'), 'warn: only report stale entries; enforce: prune them.'),
    pruneAfter: doc(z._default(dur(), '30d'), 'Entries idle longer than this are stale.'),
    maxEntries: doc(z._default(int(1), 500), 'Max entries kept in one session index.'),
  }), {}), 'Session index maintenance.'),
})

function bindingMatchSchema() {
  return strictObject({
    channel: doc(text(), 'Channel id (telegram).'),
    accountId: doc(z.optional(text()), 'Account id; "*" = any account; omitted = the channel default account only.'),
    peer: doc(z.optional(strictObject({
      kind: doc(z.enum(['direct', 'group', 'channel', 'dm']), 'Peer kind (dm is the legacy name of direct).'),
      id: doc(text(), 'Peer id (user or chat id; "<chatId>:topic:<n>" for a forum topic).'),
    })), 'A specific conversation.'),
    guildId: doc(z.optional(text()), 'Guild id (channels that have guilds).'),
    teamId: doc(z.optional(text()), 'Team id (channels that have teams).'),
  })
}

/** One `bindings[]` entry (config.md §7.3). */
export function bindingSchema() {
  return strictObject({
    agentId: doc(id(), 'Agent that handles matching messages (an id from agents.list, or main).'),
    comment: doc(z.optional(z.string()), 'Free text for humans.'),
    type: doc(z.optional(z.literal('route')), 'Binding type; only "route".'),
    match: doc(bindingMatchSchema(), 'Conditions; every condition present must hold.'),
  })
}
