import {z} from 'zod'

import {anyKey, doc, int, senderId, strictObject, stringList} from './primitives.js'

export const TOOL_PROFILES = ['minimal', 'coding', 'messaging', 'full'] as const

/** Executables `exec` runs without asking under `security: allowlist` (runtime.md §8.8). */
export const DEFAULT_SAFE_BINS = ['ls', 'cat', 'head', 'tail', 'wc', 'grep', 'sort', 'uniq', 'cut', 'tr', 'echo', 'pwd', 'date', 'which', 'jq', 'diff']

const ExecSchema = strictObject({
  timeoutSec: doc(z._default(int(1), 1800), 'Timeout of one exec call in seconds (capped by the run time left).'),
  yieldMs: doc(z._default(int(0), 10_000), 'Milliseconds before a long exec would yield to the background (no background mode in v1).'),
  security: doc(z._default(z.enum(['deny', 'allowlist', 'full']), 'allowlist'), 'deny: no exec; allowlist: safe commands run, others ask; full: everything runs.'),
  ask: doc(z._default(z.enum(['off', 'on-miss', 'always']), 'on-miss'), 'When to ask for approval: off refuses instead, on-miss asks for unlisted commands, always asks.'),
  safeBins: doc(z._default(stringList(), [...DEFAULT_SAFE_BINS]), 'Executables that run without approval under allowlist.'),
})

/** `tools` (config.md §7.7, runtime.md §8.7–8.8). */
export const ToolsSchema = strictObject({
  profile: doc(z.optional(z.enum(TOOL_PROFILES)), 'Base tool set: minimal, coding, messaging or full (unset = no restriction).'),
  allow: doc(z._default(stringList(), []), 'When non-empty, only matching tools are kept (names, * wildcards, group:<name>).'),
  alsoAllow: doc(z._default(stringList(), []), 'Tools added on top of the profile.'),
  deny: doc(z._default(stringList(), []), 'Tools removed; deny always wins.'),
  byProvider: doc(z._default(z.record(anyKey(), z.lazy(() => strictObject({
    profile: doc(z.optional(z.enum(TOOL_PROFILES)), 'Base tool set for this provider / model.'),
    allow: doc(z.optional(stringList()), 'Tools kept for this provider / model.'),
    deny: doc(z.optional(stringList()), 'Tools removed for this provider / model.'),
  }))), {}), 'Policy per "provider" or "provider/model", applied after the global policy.'),
  exec: doc(z.prefault(ExecSchema, {}), 'The exec tool.'),
  elevated: doc(z.prefault(strictObject({
    enabled: doc(z._default(z.boolean(), false), 'Allow elevated exec at all.'),
    allowFrom: doc(z._default(z.record(anyKey(), z.array(senderId())), {}), 'Channel -> sender ids allowed to request elevated exec.'),
  }), {}), 'Elevated exec.'),
  fs: doc(z.prefault(strictObject({
    workspaceOnly: doc(z._default(z.boolean(), true), 'Confine file tools to the agent workspace (false lifts it, with a startup warning).'),
  }), {}), 'File tools (read, write, edit, ls).'),
  web: doc(z.prefault(strictObject({
    fetch: doc(z.prefault(strictObject({
      enabled: doc(z._default(z.boolean(), true), 'Offer the web_fetch tool.'),
    }), {}), 'The web_fetch tool.'),
  }), {}), 'Web tools.'),
})
