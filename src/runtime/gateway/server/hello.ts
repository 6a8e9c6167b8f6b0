/**
 * The `hello-ok` payload (protocol.md §3.4): exactly the listed fields, admin-only and read-only
 * snapshot parts included only for connections whose effective scopes allow them.
 */
import type {ConnectAccepted} from './handshake.js'
import type {HelloOk} from '../protocol/frames.js'
import {hasScope} from './scopes.js'
import type {GatewayServices} from './services.js'

export interface HelloInputs {
  connId: string
  decision: ConnectAccepted
  methods: readonly string[]
  events: readonly string[]
  /** `policy` as this server enforces it (§3.4 defaults: 25 MiB, 50 MiB, 30 000 ms). */
  policy: {maxPayload: number; maxBufferedBytes: number; tickIntervalMs: number}
}

export function buildHelloOk(services: GatewayServices, inputs: HelloInputs): HelloOk {
  const {decision} = inputs
  const {info} = services
  const snapshot: HelloOk['snapshot'] = {
    presence: services.presence.list(),
    health: services.health.current,
    stateVersion: {presence: services.presence.version, health: services.health.version},
    uptimeMs: Math.max(0, Math.round(services.now() - info.startedAt)),
  }
  if (hasScope(decision.scopes, 'operator.admin')) {
    if (info.configPath !== undefined) snapshot.configPath = info.configPath
    if (info.stateDir !== undefined) snapshot.stateDir = info.stateDir
    snapshot.authMode = info.authMode
  }
  if (info.sessionDefaults !== undefined && hasScope(decision.scopes, 'operator.read')) {
    const {defaultAgentId, mainKey, mainSessionKey} = info.sessionDefaults
    snapshot.sessionDefaults = {defaultAgentId, mainKey, mainSessionKey}
  }
  return {
    type: 'hello-ok',
    protocol: decision.protocol,
    server: {version: info.version, connId: inputs.connId},
    features: {methods: [...inputs.methods], events: [...inputs.events]},
    snapshot,
    auth: {role: decision.role, scopes: [...decision.scopes], method: decision.method},
    policy: {maxPayload: inputs.policy.maxPayload, maxBufferedBytes: inputs.policy.maxBufferedBytes, tickIntervalMs: inputs.policy.tickIntervalMs},
  }
}
