/**
 * Payload shapes the gateway serves as state snapshots (protocol.md §2.3, §6.2): StateVersion,
 * PresenceEntry, HealthSnapshot, StatusSummary. Object schemas strip unknown keys, so a client
 * parsing a newer gateway's snapshot keeps working.
 */
import {z} from 'zod'

/** Process-wide counters bumped when presence or the cached health snapshot changes. */
export const StateVersionSchema = z.object({presence: z.int().min(0), health: z.int().min(0)})
export type StateVersion = z.infer<typeof StateVersionSchema>

/** One presence row: the gateway itself (`mode:"gateway"`, `reason:"self"`) or a connected client. */
export const PresenceEntrySchema = z.object({
  ts: z.number(),
  host: z.string().optional(),
  ip: z.string().optional(),
  version: z.string().optional(),
  platform: z.string().optional(),
  deviceFamily: z.string().optional(),
  mode: z.string().optional(),
  reason: z.string().optional(),
  instanceId: z.string().optional(),
  clientId: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  text: z.string().optional(),
})
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>

const RecentSessionSchema = z.object({key: z.string(), updatedAt: z.number(), age: z.number()})
const SessionsSummarySchema = z.object({path: z.string(), count: z.int().min(0), recent: z.array(RecentSessionSchema)})

export const ChannelAccountHealthSchema = z.object({
  running: z.boolean(),
  connected: z.boolean().optional(),
  lastError: z.string().optional(),
  lastInboundAt: z.number().optional(),
  lastOutboundAt: z.number().optional(),
  probe: z.unknown().optional(),
})
export type ChannelAccountHealth = z.infer<typeof ChannelAccountHealthSchema>

export const ChannelHealthSchema = z.object({
  configured: z.boolean(),
  running: z.boolean(),
  accounts: z.record(z.string(), ChannelAccountHealthSchema),
})
export type ChannelHealth = z.infer<typeof ChannelHealthSchema>

export const AgentHealthSchema = z.object({
  agentId: z.string(),
  name: z.string().optional(),
  isDefault: z.boolean(),
  heartbeat: z.object({enabled: z.boolean(), every: z.string(), everyMs: z.number().nullable()}),
  sessions: SessionsSummarySchema,
})
export type AgentHealth = z.infer<typeof AgentHealthSchema>

/** §6.2 / operations §8. `ts` is when the snapshot was taken, `durationMs` how long that took. */
export const HealthSnapshotSchema = z.object({
  ok: z.boolean(),
  ts: z.number(),
  durationMs: z.number(),
  channels: z.record(z.string(), ChannelHealthSchema),
  channelOrder: z.array(z.string()),
  channelLabels: z.record(z.string(), z.string()),
  heartbeatSeconds: z.number(),
  defaultAgentId: z.string(),
  agents: z.array(AgentHealthSchema),
  sessions: SessionsSummarySchema,
  configReload: z.object({mode: z.string(), lastError: z.string().optional()}).optional(),
})
export type HealthSnapshot = z.infer<typeof HealthSnapshotSchema>

/** §6.2 `status` result. `configPath`/`stateDir` only for admin callers. */
export const StatusSummarySchema = z.object({
  version: z.string(),
  runtimeVersion: z.string(),
  pid: z.int(),
  uptimeMs: z.number(),
  os: z.object({platform: z.string(), arch: z.string(), release: z.string()}),
  gateway: z.object({bind: z.string(), port: z.int(), authMode: z.string(), reloadMode: z.string()}),
  heartbeat: z.object({
    defaultAgentId: z.string(),
    agents: z.array(z.object({agentId: z.string(), enabled: z.boolean(), every: z.string()})),
  }),
  channelSummary: z.array(z.string()),
  sessions: z.object({
    count: z.int().min(0),
    defaults: z.object({model: z.string().nullable(), contextTokens: z.number().nullable()}),
    recent: z.array(z.object({key: z.string(), agentId: z.string(), updatedAt: z.number(), age: z.number()})),
    byAgent: z.array(z.object({agentId: z.string(), count: z.int().min(0)})),
  }),
  queuedSystemEvents: z.array(z.string()),
  memory: z.object({rss: z.number(), heapUsed: z.number()}),
  configPath: z.string().optional(),
  stateDir: z.string().optional(),
})
export type StatusSummary = z.infer<typeof StatusSummarySchema>
