/**
 * `openclaw agent` (operations.md §2.2): through the gateway when one runs, streaming the reply
 * as it arrives; otherwise embedded under the state lock, writing the same session store. The
 * fallback happens only when nothing listens at the implicit loopback target, never after a
 * request was sent. Ctrl-C (`signal`) aborts the run (`chat.abort`, or the embedded runner).
 */
import {randomUUID} from 'node:crypto'

import {invalidConfigError} from '../../config/issues.js'
import {loadConfig} from '../../config/load.js'
import {AppError, isAppError} from '../../errors/app-error.js'
import {ERROR_CODES, type ErrorCode} from '../../errors/codes.js'
import {connectGateway, isConnectionRefused, type ClientInfo, type GatewayConnection} from '../../gateway/client/client.js'
import {setupGatewayClient} from '../../gateway/client/config.js'
import type {GatewayTargetFlags} from '../../gateway/client/target.js'
import {acquireStateLock} from '../../gateway/lifecycle/instance-lock.js'
import {readLiveGatewayLock} from '../../state/gateway-lock-info.js'
import type {ResolvedPaths} from '../../paths.js'
import type {Usage} from '../../models/messages.js'
import {localDeliverySink} from '../../channels/local-delivery.js'
import {openAgentRunner} from '../open-runner.js'
import {deliverPrepared, labelSession, prepareAgentRun, type DeliveryReport} from './agent-request.js'
import type {RunOutcome} from './run-contract.js'
import type {RunObserver} from './run-events.js'

export interface AgentCommandOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  message: string
  agentId?: string
  sessionKey?: string
  /** Run timeout in seconds (default agents.defaults.timeoutSeconds). */
  timeoutSeconds?: number
  /** `--session-id`, `--to`, `--channel`, `--account`, `--thread-id`, `--deliver`, `--best-effort-deliver`, `--model`, `--thinking` (the `agent` RPC params of the same names). */
  sessionId?: string
  to?: string
  channel?: string
  accountId?: string
  threadId?: string
  /** `--reply-to/--reply-channel/--reply-account`: deliver elsewhere, the session unchanged (OpenClaw's flags). */
  replyTo?: string
  replyChannel?: string
  replyAccountId?: string
  deliver?: boolean
  bestEffortDeliver?: boolean
  model?: string
  thinking?: string
  /** `--local`: never ask a gateway. */
  local: boolean
  flags: GatewayTargetFlags
  /** Handshake budget (ms). */
  connectTimeoutMs: number
  clientInfo: ClientInfo
  observer?: RunObserver
  signal?: AbortSignal
}

/** operations.md §2.2's result (`origin`, `payloads`, `usage`, `delivered`…) plus what our tests and scripts read (`via`, `summary`, `result`). */
export interface AgentCommandResult {
  via: 'gateway' | 'embedded'
  origin: 'gateway' | 'local'
  runId: string
  status: string
  summary: string
  stopReason?: string
  sessionKey?: string
  agentId?: string
  sessionId?: string
  text: string
  payloads: Array<{text?: string; mediaUrl?: string}>
  usage: {input: number; output: number; total: number}
  model: string | null
  delivered: boolean
  /** Why a requested delivery of a non-empty reply was not made. */
  deliveryError?: string
  delivery?: DeliveryReport['delivery']
  result: unknown
  warnings: string[]
}

type ResultMeta = {usage?: Partial<Usage>; provider?: string; model?: string; agentMeta?: {sessionId?: string; usage?: Partial<Usage>; provider?: string; model?: string}}

/** The spec's result fields from an `agent` final (ours or OpenClaw's) or an embedded outcome. */
function resultShape(via: AgentCommandResult['via'], final: {status: string; summary: string; sessionId?: unknown; delivered?: unknown; result?: unknown}): Pick<AgentCommandResult, 'via' | 'origin' | 'status' | 'payloads' | 'usage' | 'model' | 'delivered' | 'sessionId'> {
  const result = (final.result ?? {}) as {payloads?: Array<{text?: string; mediaUrl?: string}>; meta?: ResultMeta}
  const meta = result.meta ?? {}
  const usage = meta.usage ?? meta.agentMeta?.usage ?? {}
  const provider = meta.provider ?? meta.agentMeta?.provider
  const model = meta.model ?? meta.agentMeta?.model
  const sessionId = typeof final.sessionId === 'string' ? final.sessionId : meta.agentMeta?.sessionId
  return {
    via, origin: via === 'gateway' ? 'gateway' : 'local',
    // An aborted run (Ctrl-C, /stop) ends ok with summary "aborted"; the spec names it.
    status: final.status === 'ok' && final.summary === 'aborted' ? 'aborted' : final.status,
    payloads: result.payloads ?? [],
    usage: {input: usage.input ?? 0, output: usage.output ?? 0, total: usage.totalTokens ?? (usage.input ?? 0) + (usage.output ?? 0)},
    model: model === undefined ? null : provider === undefined ? model : `${provider}/${model}`,
    delivered: final.delivered === true,
    ...(sessionId === undefined ? {} : {sessionId}),
  }
}

export async function runAgentCommand(options: AgentCommandOptions): Promise<AgentCommandResult> {
  const ran = await runAny(options)
  // The spec's fields first, in its order (operations.md §2.2), then ours.
  const {runId, agentId, sessionKey, sessionId, status, text, payloads, usage, model, delivered, origin, ...rest} = ran
  const result: AgentCommandResult = {runId, agentId, sessionKey, sessionId, status, text, payloads, usage, model, delivered, origin, ...rest}
  // Best effort: a reply not delivered is a warning (unfinishedRun makes it the error otherwise).
  if (options.bestEffortDeliver === true && result.deliveryError !== undefined && !result.warnings.some((note) => note.startsWith('not delivered:'))) {
    result.warnings.push(`${result.deliveryError}; check the account: openclaw channels status --probe`)
  }
  return result
}

async function runAny(options: AgentCommandOptions): Promise<AgentCommandResult> {
  if (options.local) {
    // operations.md §2.2: a running gateway owns the state dir; waiting for its lock would only time out.
    const gateway = readLiveGatewayLock(options.paths)
    if (gateway !== null) throw new AppError('STATE_LOCKED', `a gateway is running (pid ${gateway.pid}); drop --local to go through it`, {hint: ['openclaw agent --message "…"', 'Or stop it first: openclaw gateway stop'], details: {pid: gateway.pid}})
    return runEmbedded(options, [])
  }
  const {target, warnings} = setupGatewayClient({paths: options.paths, env: options.env, flags: options.flags})
  let connection: GatewayConnection
  try {
    connection = await connectGateway({...target, timeoutMs: options.connectTimeoutMs, clientInfo: options.clientInfo, scopes: ['operator.write', 'operator.read']})
  } catch (error) {
    if (!target.explicit && isConnectionRefused(error)) return runEmbedded(options, warnings)
    throw error
  }
  try {
    return await viaGateway(connection, options, warnings)
  } finally {
    connection.close()
  }
}

async function viaGateway(connection: GatewayConnection, options: AgentCommandOptions, warnings: string[]): Promise<AgentCommandResult> {
  const runId = randomUUID()
  let sessionKey: string | undefined
  const off = connection.onEvent((event) => {
    const payload = event.payload as {runId?: string; stream?: string; sessionKey?: unknown; data?: Record<string, unknown>} | undefined
    if (event.event !== 'agent' || payload?.runId !== runId || payload.data === undefined) return
    // OpenClaw's accepted omits sessionKey; its events carry it, and chat.abort needs it.
    if (sessionKey === undefined && typeof payload.sessionKey === 'string') sessionKey = payload.sessionKey
    const data = payload.data
    if (payload.stream === 'assistant') options.observer?.({kind: 'text', text: String(data.text ?? ''), delta: String(data.delta ?? ''), replace: data.replace === true})
    else if (payload.stream === 'fallback') options.observer?.({kind: 'fallback', from: String(data.from), to: String(data.to), selected: String(data.selected ?? data.from), reason: String(data.reason)})
    else if (payload.stream === 'tool' && (data.phase === 'start' || data.phase === 'result')) {
      options.observer?.({kind: 'tool', phase: data.phase, name: String(data.name), toolCallId: String(data.toolCallId), args: data.args, isError: data.isError === true, result: typeof data.result === 'string' ? data.result : undefined})
    }
  })
  const onAbort = () => void connection.request('chat.abort', {sessionKey, runId}).catch(() => undefined)
  options.signal?.addEventListener('abort', onAbort, {once: true})
  try {
    const agentId = options.agentId ?? (options.sessionKey === undefined && options.sessionId === undefined && options.to === undefined ? advertisedDefaultAgent(connection) : undefined)
    // Only the params given: OpenClaw's gateway checks them against its schema.
    const params = definedOnly({
      message: options.message, idempotencyKey: runId, agentId, sessionKey: options.sessionKey, sessionId: options.sessionId, to: options.to, channel: options.channel, accountId: options.accountId,
      threadId: options.threadId, replyTo: options.replyTo, replyChannel: options.replyChannel, replyAccountId: options.replyAccountId, deliver: options.deliver, bestEffortDeliver: options.bestEffortDeliver, thinking: options.thinking, timeout: options.timeoutSeconds, model: options.model,
    })
    const final = await connection.request<Record<string, unknown>>('agent', params, {
      expectFinal: true,
      onAccepted: (accepted) => {
        const {sessionKey: key, warnings: notes} = accepted as {sessionKey?: string; warnings?: unknown}
        sessionKey = key ?? sessionKey
        if (Array.isArray(notes)) warnings.push(...notes.filter((note): note is string => typeof note === 'string'))
      },
    }).catch((error: unknown) => {
      throw ourError(error)
    })
    const shape = resultShape('gateway', {...final, status: String(final.status), summary: String(final.summary ?? '')})
    return {
      ...shape, runId, summary: String(final.summary ?? ''), stopReason: final.stopReason as string | undefined,
      sessionKey: (final.sessionKey as string | undefined) ?? sessionKey, agentId: final.agentId as string | undefined, text: shape.payloads.map((p) => p.text ?? '').filter((t) => t !== '').join('\n\n'),
      ...(typeof final.deliveryError === 'string' ? {deliveryError: final.deliveryError} : {}), ...(final.delivery === undefined ? {} : {delivery: final.delivery as DeliveryReport['delivery']}), result: final.result ?? null, warnings,
    }
  } finally {
    off()
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * The default agent a gateway advertises in hello-ok `snapshot.sessionDefaults`. Given neither an
 * agent nor a session key, OpenClaw's gateway runs the turn in a throwaway
 * `agent:<id>:explicit:<runId>` session, so, like OpenClaw's own CLI, we name the agent and land in
 * its main session. For ours naming its default agent changes nothing.
 */
function advertisedDefaultAgent(connection: GatewayConnection): string | undefined {
  const defaults = (connection.hello.snapshot as {sessionDefaults?: {defaultAgentId?: unknown}}).sessionDefaults
  return typeof defaults?.defaultAgentId === 'string' && defaults.defaultAgentId !== '' ? defaults.defaultAgentId : undefined
}

/** A gateway refusal that carries one of our codes (dispatch puts it in details.code) becomes that AppError again, hint included. */
function ourError(error: unknown): unknown {
  if (!isAppError(error) || error.code !== 'GATEWAY_REQUEST_FAILED') return error
  const details = error.details.details as {code?: unknown; hint?: unknown} | undefined
  const code = details?.code
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return error
  return new AppError(code as ErrorCode, error.message, {hint: Array.isArray(details?.hint) ? (details.hint as string[]) : [], details: {via: 'gateway'}})
}

async function runEmbedded(options: AgentCommandOptions, warnings: string[]): Promise<AgentCommandResult> {
  const loaded = loadConfig({paths: options.paths, env: options.env})
  if (loaded.config === null) throw invalidConfigError(options.paths.configPath, loaded.issues, options.paths.home)
  const config = loaded.config
  const lock = await acquireStateLock(options.paths.stateDir)
  try {
    const runner = openAgentRunner({config: () => config, paths: options.paths, env: options.env, owner: 'cli', sink: {publish: () => undefined}})
    const runId = randomUUID()
    const prepared = await prepareAgentRun(runner.context, {...options, timeout: options.timeoutSeconds}, runId)
    const {agentId, sessionKey} = prepared.request
    const command = await runner.command({message: options.message, agentId, sessionKey, channel: 'cli'}, options.clientInfo.version)
    if (command !== null && command.followUp === undefined) {
      const result = {payloads: [{text: command.reply}], meta: {command: command.command, sessionId: command.sessionId, previousSessionId: command.previousSessionId}}
      return {...resultShape('embedded', {status: 'ok', summary: 'completed', sessionId: command.sessionId, result}), runId: '', summary: 'completed', sessionKey: command.sessionKey, agentId: command.agentId, text: command.reply, result, warnings}
    }
    // Delivery without a gateway goes straight to the channel's API, as `message send` does.
    const sink = prepared.delivery === null ? undefined : await localDeliverySink({config, env: options.env, paths: options.paths}, prepared.delivery.origin)
    const handle = await runner.start({...prepared.request, message: command?.followUp ?? options.message, runId, observer: options.observer, channel: 'cli'})
    await labelSession(runner, prepared)
    const onAbort = () => runner.abort(handle.admitted.sessionKey, handle.admitted.runId)
    options.signal?.addEventListener('abort', onAbort, {once: true})
    let outcome: RunOutcome
    try {
      outcome = await handle.done
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
    const report = await deliverPrepared(runner, prepared, outcome, sink?.sink)
    await runner.settled()
    if (outcome.status === 'error') throw runFailed(outcome)
    const notes = [...warnings, ...loaded.warnings, ...prepared.warnings, ...(sink?.warnings ?? [])]
    return {
      ...resultShape('embedded', {...outcome, delivered: report.delivered}), runId: outcome.runId, summary: outcome.summary, stopReason: outcome.stopReason, sessionKey: outcome.sessionKey, agentId: outcome.agentId, text: outcome.text,
      ...(report.deliveryError === undefined ? {} : {deliveryError: report.deliveryError}), ...(report.delivery === undefined ? {} : {delivery: report.delivery}), result: outcome.result, warnings: notes,
    }
  } finally {
    lock.release()
  }
}

/** A failed run (recorded in the transcript) as the CLI error. */
function runFailed(outcome: RunOutcome): AppError {
  // The error that ended the run keeps its code and fix (MODEL_TIMEOUT names the timeout setting, MODEL_UNREACHABLE the URL).
  const own = outcome.error?.hint ?? []
  return new AppError(outcome.error?.code ?? 'MODEL_REQUEST_FAILED', outcome.summary, {
    hint: [...(own.length > 0 ? own : ['Check the model and its key: openclaw models status --check']), `The turn is recorded: openclaw sessions history ${outcome.sessionKey}`],
    details: {runId: outcome.runId, sessionKey: outcome.sessionKey, kind: outcome.error?.kind},
    result: {runId: outcome.runId, status: outcome.status, summary: outcome.summary},
  })
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * operations.md §2.2: exit 1 unless `ok`. A timed-out or aborted run printed what it had; this is
 * the error that follows. So is a reply `--deliver` could not deliver, unless `bestEffortDeliver`.
 */
export function unfinishedRun(result: AgentCommandResult, options: {bestEffortDeliver?: boolean} = {}): {code: ErrorCode; message: string; hint: string[]; details: Record<string, unknown>} | null {
  if (result.status === 'error') return null
  const recorded = `The turn is recorded: openclaw sessions history ${result.sessionKey ?? 'main'}${result.agentId === undefined ? '' : ` --agent ${result.agentId}`}`
  const details = {runId: result.runId, status: result.status, sessionKey: result.sessionKey}
  if (result.status === 'ok') {
    if (result.deliveryError === undefined || options.bestEffortDeliver === true) return null
    return {
      code: 'DELIVERY_FAILED', message: result.deliveryError,
      hint: ['Check the account and the chat: openclaw channels status --probe', 'Or accept a reply that is not delivered: openclaw agent --deliver --best-effort-deliver --message "…"', recorded],
      details: {...details, delivery: result.delivery},
    }
  }
  if (result.status === 'timeout') return {code: 'MODEL_TIMEOUT', message: `the run timed out (${result.summary})`, hint: ['Give it longer: openclaw agent --timeout <seconds> --message "…"', recorded], details}
  return {code: 'MODEL_ABORTED', message: `the run ended ${result.status}`, hint: [recorded], details}
}
