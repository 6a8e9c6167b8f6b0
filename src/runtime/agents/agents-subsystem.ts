/**
 * The `agents` gateway subsystem: one AgentRunner for the gateway's life (runs survive listener
 * restarts), its method groups (agent/chat, sessions + chat.history, agents, models), its part of
 * `health`, and a drain on stop that aborts what is still running so partial answers are written.
 */
import {agentMethods} from '../gateway/methods/agent.js'
import {agentsMethods} from '../gateway/methods/agents.js'
import {modelsMethods} from '../gateway/methods/models.js'
import {sessionsMethods} from '../gateway/methods/sessions.js'
import type {GatewaySubsystem, MethodGroup} from '../gateway/lifecycle/subsystem.js'
import {agentsHealth} from './agents-health.js'
import {openAgentRunner, openSessionStores} from './open-runner.js'
import {withSessionChanges} from './session-change-sink.js'
import type {AgentRunner, RunnerDeps} from './run/agent-runner.js'

/** The agents subsystem, with its runner reachable by channel subsystems (their `dispatchInbound`). */
export interface AgentsSubsystem extends GatewaySubsystem {
  runner(): AgentRunner | undefined
  /**
   * Resolves once restart replay admitted what a crash left (not when those runs end). Channels wait
   * for it before committing new messages, so replay never mistakes a fresh user line for a leftover.
   */
  replayed(): Promise<void>
}

export interface AgentsSubsystemDeps {
  /** A channel's delivery sink for a replayed run's origin (the telegram subsystem's). */
  channelSink?: RunnerDeps['channelSink']
}

export function agentsSubsystem(deps: AgentsSubsystemDeps = {}): AgentsSubsystem {
  let runner: AgentRunner | undefined
  let groups: MethodGroup[] = []
  let healthPart: (() => Promise<Record<string, unknown>>) | undefined
  let replayed: Promise<void> = Promise.resolve()
  return {
    id: 'agents',
    configPrefixes: ['agents', 'models', 'session', 'tools', 'auth'],
    start(ctx) {
      const stores = openSessionStores({config: ctx.config, paths: ctx.paths})
      const sink = withSessionChanges(ctx.bus, {config: ctx.config, paths: ctx.paths, stores})
      const active = openAgentRunner({config: ctx.config, paths: ctx.paths, env: ctx.env, owner: 'gateway', sink, logger: ctx.logger, ...(deps.channelSink ? {channelSink: deps.channelSink} : {})}, stores)
      runner = active
      // runtime.md §6.3 step 1: a reset/delete first aborts the session's run and waits for its partial answer.
      const beforeReset = async (_agentId: string, sessionKey: string) => {
        await Promise.all(active.abort(sessionKey).map((runId) => active.wait(runId, 30_000)))
      }
      healthPart = async () => ({...(await agentsHealth({config: ctx.config(), paths: ctx.paths, stores, now: Date.now()})), runs: {active: active.activeRuns().length}})
      groups = [
        agentMethods({runner: active}),
        sessionsMethods({config: ctx.config, paths: ctx.paths, stores, beforeReset, publish: (event, payload) => ctx.bus.publish(event, payload)}),
        agentsMethods({config: ctx.config, ops: {paths: ctx.paths, env: ctx.env, version: ctx.version}}),
        modelsMethods({config: ctx.config, paths: ctx.paths, env: ctx.env}),
      ]
      // Accepted messages a crash left without an answer run again, once (runtime.md §8.1 Restart).
      const log = ctx.logger
      replayed = active.replay().then(
        (report) => {
          if (report.handles.length > 0 || report.abortedLastRun.length > 0 || report.redelivered + report.undelivered > 0) log.info('restart replay', {resumed: report.resumed.length, requeued: report.requeued, abortedLastRun: report.abortedLastRun.length, redelivered: report.redelivered, undelivered: report.undelivered})
          if (report.undelivered > 0) log.warn(`${report.undelivered} channel replies were being sent when the gateway stopped; they may not have arrived and are not sent again (marked undelivered in their transcripts)`)
          for (const failure of report.failed) log.error('restart replay could not start a message again', failure)
        },
        (error: unknown) => log.error('restart replay failed', {error: error instanceof Error ? error.message : String(error)}),
      )
    },
    async stop() {
      await runner?.stopAll()
      // Kept-alive model sockets are unref'd (they never hold the process), but a stop releases them at once.
      runner?.pools.http.close()
    },
    methods: () => groups,
    runner: () => runner,
    replayed: () => replayed,
    // `agents`/`sessions` keep their upstream shape (status reads them); `runs` is our own field.
    health: () => healthPart?.() ?? {runs: {active: 0}},
  }
}
