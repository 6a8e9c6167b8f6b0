/**
 * `agent`, `agent.wait`, `chat.send` and `chat.abort` (protocol.md §6.5–§6.6, §8) over one
 * AgentRunner: resolve and commit first (an AppError before acceptance writes nothing and is
 * mapped by dispatch), answer `accepted` at once, then the final with the same id. The
 * idempotency map makes a repeated key cost no second model call.
 */
import {z} from 'zod'

import type {AgentRunner, RunOutcome} from '../../agents/run/agent-runner.js'
import {deliverPrepared, labelSession, prepareAgentRun, type DeliveryReport} from '../../agents/run/agent-request.js'
import {IdempotencyMap} from '../../agents/run/idempotency.js'
import {MethodError} from '../server/method-error.js'
import {defineMethod} from '../server/registry.js'

const IdempotencyKey = z.string().min(1).max(256)

const Attachments = z.array(z.object({type: z.string().optional(), mimeType: z.string().optional(), fileName: z.string().optional(), content: z.string()})).max(16)

/** protocol.md §6.5, plus `model` (ours: `agent --model`). Non-strict: fields of newer clients are ignored. */
const AgentParams = z.object({
  message: z.string(),
  idempotencyKey: IdempotencyKey,
  agentId: z.string().optional(),
  sessionKey: z.string().optional(),
  sessionId: z.string().min(1).optional(),
  to: z.string().optional(),
  channel: z.string().optional(),
  accountId: z.string().optional(),
  replyTo: z.string().optional(),
  replyChannel: z.string().optional(),
  replyAccountId: z.string().optional(),
  threadId: z.union([z.string(), z.number().int()]).transform(String).optional(),
  deliver: z.boolean().optional(),
  bestEffortDeliver: z.boolean().optional(),
  thinking: z.string().optional(),
  timeout: z.number().int().positive().optional(),
  attachments: Attachments.optional(),
  label: z.string().max(512).optional(),
  extraSystemPrompt: z.string().optional(),
  model: z.string().min(1).optional(),
})

interface RunInfo {
  runId: string
  sessionKey: string
  agentId: string
  /** Settles after the run's delivery (`{delivered: false}` without `deliver`); `agent.wait` reports it. */
  delivery?: Promise<DeliveryReport>
}

/** A delivery that threw (not a refused send, which deliverPrepared reports) as the report. */
function deliveryThrew(error: unknown): DeliveryReport {
  return {delivered: false, deliveryError: error instanceof Error ? error.message : String(error)}
}

/** `p`, or null when it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, ms))))
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** The final response of a finished run: ok for ok/timeout, an UNAVAILABLE error for a failed run. */
function finalOf(outcome: RunOutcome, report: DeliveryReport = {delivered: false}): {ok: boolean; value: unknown} {
  // `code`/`hint` let our CLI rebuild the AppError that ended the run (agent-command's ourError).
  if (outcome.status === 'error') return {ok: false, value: {message: outcome.summary, payload: {runId: outcome.runId, status: 'error', summary: outcome.summary, ...report, ...(outcome.error?.code === undefined ? {} : {code: outcome.error.code, hint: outcome.error.hint ?? []})}}}
  return {ok: true, value: {runId: outcome.runId, status: outcome.status, summary: outcome.summary, stopReason: outcome.stopReason, sessionKey: outcome.sessionKey, agentId: outcome.agentId, sessionId: outcome.sessionId, ...report, result: outcome.result}}
}

function settle(final: {ok: boolean; value: unknown}): unknown {
  if (final.ok) return final.value
  const {message, payload} = final.value as {message: string; payload: unknown}
  throw new MethodError('UNAVAILABLE', message, {details: payload})
}

/** The agent/chat method groups over `runner`; one idempotency map per group instance. */
export function agentMethods(deps: {runner: AgentRunner}) {
  const agentKeys = new IdempotencyMap<RunInfo>()
  const chatKeys = new IdempotencyMap<RunInfo>()
  const {runner} = deps
  return [
    defineMethod({
      name: 'agent',
      scope: 'operator.write',
      params: AgentParams,
      handler: async (params, ctx) => {
        const key = `agent:${params.idempotencyKey}`
        const seen = agentKeys.get(key)
        if (seen?.state === 'in_flight') return {...seen.info, status: 'in_flight'}
        if (seen?.state === 'done') return settle({ok: seen.ok, value: seen.value})
        agentKeys.begin(key, {runId: params.idempotencyKey, sessionKey: params.sessionKey ?? '', agentId: params.agentId ?? ''})
        let handle
        let prepared
        try {
          // Selectors and the delivery target resolve first: a bad one is INVALID_REQUEST before acceptance, nothing written.
          prepared = await prepareAgentRun(runner.context, params, params.idempotencyKey)
          const {agentId, sessionKey} = prepared.request
          // A chat command gets one final response (no accepted) carrying the new sessionId.
          const command = await runner.command({message: params.message, agentId, sessionKey, channel: 'gateway'}, ctx.gateway.info.version)
          if (command !== null && command.followUp === undefined) {
            const value = {runId: params.idempotencyKey, status: 'ok', summary: 'completed', command: command.command, sessionKey: command.sessionKey, agentId: command.agentId, sessionId: command.sessionId, previousSessionId: command.previousSessionId, delivered: false, result: {payloads: [{text: command.reply}], meta: {command: command.command}}}
            agentKeys.finish(key, true, value)
            return value
          }
          handle = await runner.start({...prepared.request, message: command?.followUp ?? params.message, runId: params.idempotencyKey, channel: 'gateway', requesterConnId: ctx.conn.connId})
          await labelSession(runner, prepared)
        } catch (error) {
          agentKeys.drop(key)
          throw error
        }
        const {runId, sessionKey, agentId, acceptedAt} = handle.admitted
        const ready = prepared
        const delivery = handle.done.then((outcome) => deliverPrepared(runner, ready, outcome)).catch(deliveryThrew)
        agentKeys.begin(key, {runId, sessionKey, agentId, delivery})
        ctx.interim?.({runId, sessionKey, agentId, status: 'accepted', acceptedAt, ...(prepared.warnings.length > 0 ? {warnings: prepared.warnings} : {})})
        const outcome = await handle.done
        const final = finalOf(outcome, await delivery)
        agentKeys.finish(key, final.ok, final.value)
        return settle(final)
      },
    }),
    defineMethod({
      name: 'agent.wait',
      scope: 'operator.write',
      params: z.object({runId: z.string().min(1), timeoutMs: z.number().int().min(0).optional()}),
      handler: async (params) => {
        const timeoutMs = params.timeoutMs ?? 30_000
        const deadline = Date.now() + timeoutMs
        const outcome = await runner.wait(params.runId, timeoutMs)
        if (outcome === undefined) throw new MethodError('INVALID_REQUEST', 'agent run was not found', {details: {runId: params.runId}})
        if (outcome === null) return {runId: params.runId, status: 'pending'}
        // A run this gateway started for `agent`/`chat.send` ends after its delivery, as the `agent` final does.
        const delivery = (agentKeys.get(`agent:${params.runId}`) ?? chatKeys.get(`chat:${params.runId}`))?.info.delivery
        const report = delivery === undefined ? undefined : await within(delivery, deadline - Date.now())
        if (report === null) return {runId: params.runId, status: 'pending'}
        return {
          runId: outcome.runId, status: outcome.status === 'timeout' ? 'timeout' : outcome.status, startedAt: outcome.startedAt, endedAt: outcome.endedAt, stopReason: outcome.stopReason, ...(outcome.error === undefined ? {} : {error: outcome.error.message}),
          ...(report === undefined ? {} : {delivered: report.delivered, ...(report.deliveryError === undefined ? {} : {deliveryError: report.deliveryError}), ...(report.delivery === undefined ? {} : {delivery: report.delivery})}),
        }
      },
    }),
    defineMethod({
      name: 'chat.send',
      scope: 'operator.write',
      params: z.object({sessionKey: z.string().min(1), message: z.string(), idempotencyKey: IdempotencyKey, agentId: z.string().optional(), thinking: z.string().optional(), deliver: z.boolean().optional(), attachments: Attachments.optional(), timeoutMs: z.number().int().positive().optional()}),
      handler: async (params) => {
        const key = `chat:${params.idempotencyKey}`
        const seen = chatKeys.get(key)
        if (seen?.state === 'in_flight') return {runId: seen.info.runId, status: 'in_flight'}
        if (seen?.state === 'done') return {runId: seen.info.runId, status: 'ok'}
        // `deliver` sends the final to the session's last route (or the chat its key names).
        const prepared = await prepareAgentRun(runner.context, {sessionKey: params.sessionKey, agentId: params.agentId, thinking: params.thinking, deliver: params.deliver, attachments: params.attachments, timeout: params.timeoutMs === undefined ? undefined : Math.ceil(params.timeoutMs / 1000)}, params.idempotencyKey)
        const handle = await runner.start({...prepared.request, message: params.message, runId: params.idempotencyKey, channel: 'gateway'})
        const {runId, sessionKey, agentId} = handle.admitted
        const delivery = handle.done.then((outcome) => deliverPrepared(runner, prepared, outcome)).catch(deliveryThrew)
        chatKeys.begin(key, {runId, sessionKey, agentId, delivery})
        void handle.done.then(async (outcome) => {
          await delivery
          chatKeys.finish(key, outcome.status !== 'error', null)
        }, () => chatKeys.finish(key, false, null))
        return {runId, status: 'started'}
      },
    }),
    defineMethod({
      name: 'exec.approval.resolve',
      scope: 'operator.approvals',
      params: z.object({id: z.string().min(1), decision: z.enum(['allow-once', 'allow-always', 'deny'])}),
      handler: (params) => {
        try {
          runner.approvals.resolveApproval(params.id, params.decision)
        } catch {
          throw new MethodError('APPROVAL_NOT_FOUND', `approval not found: ${params.id}`, {details: {id: params.id}})
        }
        return {ok: true}
      },
    }),
    defineMethod({
      name: 'chat.abort',
      scope: 'operator.write',
      params: z.object({sessionKey: z.string().min(1), runId: z.string().optional()}),
      handler: (params) => {
        const runIds = runner.abort(params.sessionKey, params.runId)
        return {ok: true, aborted: runIds.length > 0, runIds}
      },
    }),
  ]
}
