/**
 * The `agents` gateway subsystem: one AgentRunner for the gateway's life (runs survive listener
 * restarts), its method groups, its part of `health`, and a drain on stop that aborts what is
 * still running so partial answers are written.
 */
import {agentMethods} from '../gateway/methods/agent.js'
import type {GatewaySubsystem, MethodGroup} from '../gateway/lifecycle/subsystem.js'
import {openAgentRunner} from './open-runner.js'
import type {AgentRunner} from './run/agent-runner.js'

/** The agents subsystem, with its runner reachable by channel subsystems (their `dispatchInbound`). */
export interface AgentsSubsystem extends GatewaySubsystem {
  runner(): AgentRunner | undefined
}

export function agentsSubsystem(): AgentsSubsystem {
  let runner: AgentRunner | undefined
  let groups: MethodGroup[] = []
  return {
    id: 'agents',
    configPrefixes: ['agents', 'models', 'session', 'tools', 'auth'],
    start(ctx) {
      runner = openAgentRunner({config: ctx.config, paths: ctx.paths, env: ctx.env, owner: 'gateway', sink: ctx.bus})
      groups = [agentMethods({runner})]
    },
    async stop() {
      await runner?.stopAll()
    },
    methods: () => groups,
    runner: () => runner,
    // Only fields of our own: `agents`/`sessions` of the snapshot keep their upstream shape (status reads them).
    health: () => ({runs: {active: runner?.activeRuns().length ?? 0}}),
  }
}
