import {z} from 'zod'

import {doc, dur, id, int, pathString, pattern, secret, strictObject, stringList, text} from './primitives.js'

function mappingSchema() {
  return strictObject({
    id: doc(z.optional(text()), 'Mapping id (for logs).'),
    match: doc(strictObject({
      path: doc(text(), 'Sub-path under hooks.path this mapping handles.'),
      source: doc(z.optional(text()), 'Only requests whose source field equals this.'),
    }), 'Which requests this mapping handles.'),
    action: doc(z.enum(['agent', 'wake']), 'agent: run an agent turn; wake: trigger a heartbeat.'),
    agentId: doc(z.optional(id()), 'Agent that runs the turn.'),
    sessionKey: doc(z.optional(text()), 'Session key of the turn.'),
    messageTemplate: doc(z.optional(text()), 'Message text of the turn.'),
    deliver: doc(z.optional(z.boolean()), 'Deliver the reply to a channel.'),
    channel: doc(z.optional(text()), 'Channel to deliver to.'),
    to: doc(z.optional(text()), 'Recipient on that channel.'),
    model: doc(z.optional(text()), 'Model ref for the turn.'),
  })
}

/** `hooks` (config.md §7.8). */
export const HooksSchema = strictObject({
  enabled: doc(z._default(z.boolean(), false), 'Serve webhook endpoints on the gateway port.'),
  path: doc(z._default(pattern(/^\/.*[^/]$/, 'a path starting with / (not / itself, no trailing /)'), '/hooks'), 'Base URL path of the hook endpoints.'),
  token: doc(z.optional(secret()), 'Token callers must send; required when enabled.'),
  maxBodyBytes: doc(z._default(int(1), 262_144), 'Max request body size in bytes.'),
  defaultSessionKey: doc(z.optional(text()), 'Session key for hook runs that name none.'),
  allowRequestSessionKey: doc(z._default(z.boolean(), false), 'Let requests choose their session key.'),
  allowedSessionKeyPrefixes: doc(z._default(stringList(), []), 'Prefixes a requested session key must start with.'),
  allowedAgentIds: doc(z._default(stringList(), []), 'Agent ids requests may target.'),
  mappings: doc(z._default(z.array(z.lazy(mappingSchema)), []), 'Request path -> action mappings.'),
})

/** `cron` (config.md §7.8). */
export const CronSchema = strictObject({
  enabled: doc(z._default(z.boolean(), true), 'Run scheduled jobs in the gateway (OPENCLAW_SKIP_CRON=1 disables).'),
  store: doc(z.optional(pathString()), 'Job store (default <state>/cron/jobs.json).'),
  maxConcurrentRuns: doc(z._default(int(1), 1), 'Jobs running at once.'),
  sessionRetention: doc(z._default(z.union([dur(), z.literal(false)]), '24h'), 'How long isolated job sessions are kept; false keeps them.'),
  webhookToken: doc(z.optional(secret()), 'Token for cron webhook deliveries.'),
  runLog: doc(z.prefault(strictObject({
    maxBytes: doc(z._default(int(1), 2_000_000), 'Size at which a job run log is trimmed, in bytes.'),
    keepLines: doc(z._default(int(1), 2000), 'Lines kept when trimming.'),
  }), {}), 'Per-job run logs (cron/runs/<jobId>.jsonl).'),
})
