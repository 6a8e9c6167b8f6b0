import {z} from 'zod'

import {annotate, anyKey, clockTime, doc, dur, id, int, params, pathString, strictObject, stringList, text} from './primitives.js'

export const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const

/** `provider/model` (split at the first `/`) or an alias from `agents.defaults.models`. */
function modelRef(): z.ZodString {
  return annotate(text(), {typeLabel: 'model ref', expected: 'a model ref like provider/model or an alias'})
}

/** `agents.defaults.model` / `agents.list[].model`: a ref, or primary + fallbacks. */
export function modelSelection() {
  return z.union([
    modelRef(),
    strictObject({
      primary: doc(modelRef(), 'The model tried first.'),
      fallbacks: doc(z._default(z.array(modelRef()), []), 'Models tried in order when the primary fails.'),
    }),
  ])
}

function modelEntrySchema() {
  return strictObject({
    alias: doc(z.optional(text()), 'Short name usable wherever a model ref is expected (/new sonnet).'),
    params: doc(z.optional(params()), 'Provider request parameters for this model (values unchecked).'),
  })
}

function activeHoursSchema() {
  return strictObject({
    start: doc(clockTime(), 'Start of the window (HH:MM).'),
    end: doc(clockTime(), 'End of the window (HH:MM); before start means the window spans midnight.'),
    timezone: doc(z.optional(text()), 'IANA time zone of start/end; default agents.defaults.userTimezone.'),
  })
}

/** Heartbeat keys; `withDefaults: false` is the per-agent partial merged over the defaults. */
function heartbeatSchema(withDefaults: boolean) {
  const every = doc(dur(), 'Interval between heartbeat runs (default 30m); 0m disables.')
  const target = doc(text(), 'Where replies go: last (the last conversation), none, or a channel id (default last).')
  const ackMaxChars = doc(int(0), 'Replies of at most this many chars around HEARTBEAT_OK are not delivered (default 300).')
  return strictObject({
    every: withDefaults ? z._default(every, '30m') : z.optional(every),
    target: withDefaults ? z._default(target, 'last') : z.optional(target),
    to: doc(z.optional(text()), 'Recipient on the target channel (a chat id); default: the last one.'),
    accountId: doc(z.optional(id()), 'Channel account to deliver through; default: the last one.'),
    prompt: doc(z.optional(text()), 'Prompt sent on each heartbeat run; default: the built-in heartbeat prompt.'),
    model: doc(z.optional(text()), 'Model ref for heartbeat runs; default: the agent model.'),
    ackMaxChars: withDefaults ? z._default(ackMaxChars, 300) : z.optional(ackMaxChars),
    activeHours: doc(z.optional(activeHoursSchema()), 'Only run heartbeats between start and end.'),
  })
}

/** Sandbox keys; `withDefaults: false` is the per-agent override. */
function sandboxSchema(withDefaults: boolean) {
  const mode = doc(z.enum(['off', 'non-main', 'all']), 'Which sessions are sandboxed (default off); sandboxed sessions lose exec/write/edit in v1.')
  const scope = doc(z.enum(['session', 'agent', 'shared']), 'Sandbox sharing scope (default session).')
  return strictObject({
    mode: withDefaults ? z._default(mode, 'off') : z.optional(mode),
    scope: withDefaults ? z._default(scope, 'session') : z.optional(scope),
  })
}

const CompactionSchema = strictObject({
  enabled: doc(z._default(z.boolean(), true), 'Summarize older history when the context is full; false makes overflow an error.'),
  reserveTokens: doc(z._default(int(0), 16_384), 'Tokens kept free for the reply (at least the model maxTokens).'),
  keepRecentTokens: doc(z._default(int(0), 20_000), 'Tokens of recent history kept verbatim when compacting (at most 40% of the budget).'),
})

const AgentDefaultsSchema = strictObject({
  workspace: doc(z.optional(pathString()), 'Default agent workspace (default <state>/workspace, or OPENCLAW_WORKSPACE_DIR).'),
  model: doc(z.optional(modelSelection()), 'Default model: "provider/model" or {primary, fallbacks}.'),
  models: doc(z._default(z.record(anyKey(), z.lazy(modelEntrySchema)), {}), 'Known models by ref ("provider/model"), with aliases and params.'),
  thinkingDefault: doc(z._default(z.enum(THINKING_LEVELS), 'off'), 'Default reasoning effort.'),
  timeoutSeconds: doc(z._default(int(1), 600), 'Run timeout in seconds.'),
  maxConcurrent: doc(z._default(int(1), 4), 'Agent runs allowed at once across all sessions.'),
  userTimezone: doc(z.optional(text()), 'IANA time zone shown to the model (default: the host zone).'),
  skipBootstrap: doc(z._default(z.boolean(), false), 'Do not create the workspace bootstrap files.'),
  bootstrapMaxChars: doc(z._default(int(1), 20_000), 'Max chars injected from one bootstrap file.'),
  bootstrapTotalMaxChars: doc(z._default(int(1), 150_000), 'Max chars injected from all bootstrap files together.'),
  heartbeat: doc(z.prefault(heartbeatSchema(true), {}), 'Periodic heartbeat runs.'),
  sandbox: doc(z.prefault(sandboxSchema(true), {}), 'Sandboxing (containers are not in v1: sandboxed sessions lose exec, write, edit).'),
  compaction: doc(z.prefault(CompactionSchema, {}), 'Context compaction (runtime.md §8.6).'),
})

function agentSchema() {
  return strictObject({
    id: doc(id(), 'Agent id (^[a-z0-9][a-z0-9_-]{0,63}$).'),
    default: doc(z.optional(z.boolean()), 'Marks the default agent (else the first entry).'),
    name: doc(z.optional(text()), 'Display name.'),
    workspace: doc(z.optional(pathString()), 'Workspace (default agent: agents.defaults.workspace; others: <state>/workspace-<id>).'),
    agentDir: doc(z.optional(pathString()), 'Agent state dir (default <state>/agents/<id>/agent).'),
    model: doc(z.optional(modelSelection()), 'Model for this agent: "provider/model" or {primary, fallbacks}.'),
    identity: doc(z.optional(strictObject({
      name: doc(z.optional(text()), 'Name the agent uses for itself.'),
      emoji: doc(z.optional(text()), 'Emoji for the agent.'),
      theme: doc(z.optional(text()), 'Short personality/theme description.'),
      avatar: doc(z.optional(text()), 'Avatar path or URL.'),
    })), 'Who the agent is.'),
    groupChat: doc(z.optional(strictObject({
      mentionPatterns: doc(z.optional(stringList()), 'Regex sources (compiled with iu) that count as a mention in groups.'),
    })), 'Group chat behaviour for this agent.'),
    sandbox: doc(z.optional(sandboxSchema(false)), 'Sandbox override for this agent.'),
    tools: doc(z.optional(strictObject({
      allow: doc(z.optional(stringList()), 'Tools this agent may use (narrows the global policy).'),
      deny: doc(z.optional(stringList()), 'Tools this agent may not use.'),
    })), 'Tool policy narrowing for this agent.'),
    heartbeat: doc(z.optional(heartbeatSchema(false)), 'Heartbeat keys merged over agents.defaults.heartbeat.'),
    thinkingDefault: doc(z.optional(z.enum(THINKING_LEVELS)), 'Reasoning effort for this agent.'),
  })
}

/** `agents` (config.md §7.2). */
export const AgentsSchema = strictObject({
  defaults: doc(z.prefault(AgentDefaultsSchema, {}), 'Settings every agent inherits.'),
  list: doc(z._default(z.array(z.lazy(agentSchema)), []), 'Agents; empty means one implicit agent "main".'),
})
