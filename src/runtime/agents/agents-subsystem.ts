/**
 * The `agents` gateway subsystem: one AgentRunner for the gateway's life (runs survive listener
 * restarts), its method groups, its part of `health`, and a drain on stop that aborts what is
 * still running so partial answers are written.
 */
import {agentMethods} from '../gateway/methods/agent.js'
import type {GatewaySubsystem, MethodGroup} from '../gateway/lifecycle/subsystem.js'
import {configuredAgents} from './default-agent.js'
import {openAgentRunner} from './open-runner.js'
import type {AgentRunner} from './run/agent-runner.js'

/** The agents subsystem, with its runner reachable by channel subsystems (their `dispatchInbound`). */
export interface AgentsSubsystem extends GatewaySubsystem {
  runner(): AgentRunner | undefined
}

export function agentsSubsystem(): AgentsSubsystem {
  let runner: AgentRunner | undefined
  let groups: MethodGroup[] = []
  let config: (() => import('../config/schema/index.js').Config) | undefined
  return {
    id: 'agents',
    configPrefixes: ['agents', 'models', 'session', 'tools', 'auth'],
    start(ctx) {
      config = ctx.config
      runner = openAgentRunner({config: ctx.config, paths: ctx.paths, env: ctx.env, owner: 'gateway', sink: ctx.bus})
      groups = [agentMethods({runner})]
    },
    async stop() {
      await runner?.stopAll()
    },
    methods: () => groups,
    runner: () => runner,
    health() {
      const agents = config === undefined ? [] : configuredAgents(config()).list.map((agent) => ({agentId: agent.id, name: agent.name, isDefault: agent.isDefault}))
      return {agents, runs: {active: runner?.activeRuns().length ?? 0}}
    },
  }
}
