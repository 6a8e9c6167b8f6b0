import {z} from 'zod'

import {AgentsSchema} from './agents.js'
import {GatewaySchema} from './gateway.js'
import {CronSchema, HooksSchema} from './hooks-cron.js'
import {DiagnosticsSchema, EnvSchema, LoggingSchema} from './logging.js'
import {ModelsSchema} from './models.js'
import {bindingSchema, SessionSchema} from './session.js'
import {AuthSchema, CommandsSchema, MessagesSchema, metaSchema, pluginsSchema, wizardSchema} from './small-sections.js'
import {ChannelsSchema} from './telegram.js'
import {ToolsSchema} from './tools.js'
import {doc, strictObject} from './primitives.js'

/**
 * The config schema: the single source of truth for names, types, defaults and descriptions
 * (config.md §7). Every object is strict; sections with defaults use `prefault({})` so that
 * parsing `{}` yields every default (what `config get` calls the effective config).
 */
export const ConfigSchema = strictObject({
  $schema: doc(z.optional(z.string()), 'JSON Schema URL or path for editors; otherwise ignored.'),
  meta: doc(z.optional(metaSchema()), 'Stamped by every owned write that changes the file.'),
  wizard: doc(z.optional(wizardSchema()), 'Written by the onboarding wizard.'),
  env: doc(z.prefault(EnvSchema, {}), 'Environment variables from the config (lowest precedence, config.md §3.1).'),
  diagnostics: doc(z.prefault(DiagnosticsSchema, {}), 'Diagnostic debug logging per subsystem.'),
  logging: doc(z.prefault(LoggingSchema, {}), 'File and console logging (config.md §12).'),
  gateway: doc(z.prefault(GatewaySchema, {}), 'The gateway server.'),
  agents: doc(z.prefault(AgentsSchema, {}), 'Agents and their defaults.'),
  bindings: doc(z._default(z.array(z.lazy(bindingSchema)), []), 'Routes from channel / account / peer to an agent.'),
  session: doc(z.prefault(SessionSchema, {}), 'Session keys, resets and the session store.'),
  models: doc(z.prefault(ModelsSchema, {}), 'Model providers and their models.'),
  channels: doc(z.prefault(ChannelsSchema, {}), 'Messaging channels.'),
  tools: doc(z.prefault(ToolsSchema, {}), 'Tool policy and tool settings.'),
  hooks: doc(z.prefault(HooksSchema, {}), 'Inbound webhooks.'),
  cron: doc(z.prefault(CronSchema, {}), 'Scheduled jobs.'),
  auth: doc(z.prefault(AuthSchema, {}), 'Model credential profiles (metadata only).'),
  messages: doc(z.prefault(MessagesSchema, {}), 'Message handling shared by all channels.'),
  commands: doc(z.prefault(CommandsSchema, {}), 'Chat commands (/new, /status, ...).'),
  plugins: doc(z.optional(pluginsSchema()), 'Plugins (validated; none load in phase 1).'),
})

/** The validated config with every default applied. */
export type Config = z.output<typeof ConfigSchema>

/** Upstream OpenClaw root sections this version does not implement (config.md §6.1). */
export const UNSUPPORTED_SECTIONS = [
  'browser', 'skills', 'talk', 'ui', 'web', 'discovery', 'canvasHost', 'broadcast', 'audio', 'media',
  'approvals', 'memory', 'update', 'nodeHost', 'routing',
] as const
