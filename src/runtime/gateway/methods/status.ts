/**
 * `status` (protocol.md §6.2): a StatusSummary of this process, derived from the cached health
 * snapshot (agents, sessions, channels) and the gateway's facts; paths for admin callers only.
 */
import os from 'node:os'

import {z} from 'zod'

import type {HealthSnapshot, StatusSummary} from '../protocol/snapshots.js'
import {defineMethod, type ConnectionView} from '../server/registry.js'
import {hasScope} from '../server/scopes.js'
import type {GatewayServices} from '../server/services.js'

/** Most recent sessions listed in `status.sessions.recent`. */
const RECENT_SESSIONS = 10

/** One line per channel account: `Telegram default: connected`, `Telegram work: error: 409 Conflict`. */
export function channelSummaryLines(health: HealthSnapshot): string[] {
  const lines: string[] = []
  for (const channelId of health.channelOrder) {
    const channel = health.channels[channelId]
    if (channel === undefined) continue
    const label = health.channelLabels[channelId] ?? channelId
    const accounts = Object.entries(channel.accounts)
    if (accounts.length === 0) lines.push(`${label}: ${channel.configured ? 'configured' : 'not configured'}`)
    for (const [accountId, account] of accounts) {
      const state = account.lastError !== undefined ? `error: ${account.lastError}`
        : account.connected === true ? 'connected'
        : account.running ? 'running' : 'stopped'
      lines.push(`${label} ${accountId}: ${state}`)
    }
  }
  return lines
}

/** Builds the StatusSummary for `conn` at `now`. */
export function buildStatusSummary(services: GatewayServices, conn: ConnectionView, now: number): StatusSummary {
  const {info} = services
  const health = services.health.current
  const recent = health.agents
    .flatMap((agent) => agent.sessions.recent.map((s) => ({key: s.key, agentId: agent.agentId, updatedAt: s.updatedAt, age: Math.max(0, now - s.updatedAt)})))
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, RECENT_SESSIONS)
  const count = health.agents.length > 0 ? health.agents.reduce((sum, agent) => sum + agent.sessions.count, 0) : health.sessions.count
  const memory = process.memoryUsage()
  const summary: StatusSummary = {
    version: info.version,
    runtimeVersion: process.version,
    pid: process.pid,
    uptimeMs: Math.max(0, Math.round(now - info.startedAt)),
    os: {platform: process.platform, arch: process.arch, release: os.release()},
    gateway: {bind: info.bind, port: info.port, authMode: info.authMode, reloadMode: info.reloadMode},
    heartbeat: {
      defaultAgentId: health.defaultAgentId,
      agents: health.agents.map((agent) => ({agentId: agent.agentId, enabled: agent.heartbeat.enabled, every: agent.heartbeat.every})),
    },
    channelSummary: channelSummaryLines(health),
    sessions: {
      count,
      defaults: info.modelDefaults ?? {model: null, contextTokens: null},
      recent,
      byAgent: health.agents.map((agent) => ({agentId: agent.agentId, count: agent.sessions.count})),
    },
    queuedSystemEvents: services.queuedSystemEvents(),
    memory: {rss: memory.rss, heapUsed: memory.heapUsed},
  }
  if (hasScope(conn.scopes, 'operator.admin')) {
    if (info.configPath !== undefined) summary.configPath = info.configPath
    if (info.stateDir !== undefined) summary.stateDir = info.stateDir
  }
  return summary
}

export const statusMethods = [
  defineMethod({
    name: 'status',
    scope: 'operator.read',
    params: z.object({}),
    handler: (_params, ctx) => buildStatusSummary(ctx.gateway, ctx.conn, ctx.gateway.now()),
  }),
]
