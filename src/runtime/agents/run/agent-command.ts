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
import type {ResolvedPaths} from '../../paths.js'
import {openAgentRunner} from '../open-runner.js'
import type {RunOutcome} from './agent-runner.js'
import type {RunObserver} from './run-events.js'

export interface AgentCommandOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  message: string
  agentId?: string
  sessionKey?: string
  /** Run timeout in seconds (default agents.defaults.timeoutSeconds). */
  timeoutSeconds?: number
  /** `--local`: never ask a gateway. */
  local: boolean
  flags: GatewayTargetFlags
  /** Handshake budget (ms). */
  connectTimeoutMs: number
  clientInfo: ClientInfo
  observer?: RunObserver
  signal?: AbortSignal
}

export interface AgentCommandResult {
  via: 'gateway' | 'embedded'
  runId: string
  status: string
  summary: string
  stopReason?: string
  sessionKey?: string
  agentId?: string
  text: string
  result: unknown
  warnings: string[]
}

export async function runAgentCommand(options: AgentCommandOptions): Promise<AgentCommandResult> {
  if (options.local) return runEmbedded(options, [])
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
    const agentId = options.agentId ?? (options.sessionKey === undefined ? advertisedDefaultAgent(connection) : undefined)
    const params = {message: options.message, idempotencyKey: runId, agentId, sessionKey: options.sessionKey, timeout: options.timeoutSeconds}
    const final = await connection.request<Record<string, unknown>>('agent', params, {
      expectFinal: true,
      onAccepted: (accepted) => (sessionKey = (accepted as {sessionKey?: string}).sessionKey ?? sessionKey),
    }).catch((error: unknown) => {
      throw ourError(error)
    })
    const payloads = ((final.result as {payloads?: Array<{text?: string}>} | undefined)?.payloads ?? []).map((p) => p.text ?? '').filter((t) => t !== '')
    return {
      via: 'gateway', runId, status: String(final.status), summary: String(final.summary ?? ''), stopReason: final.stopReason as string | undefined,
      sessionKey: (final.sessionKey as string | undefined) ?? sessionKey, agentId: final.agentId as string | undefined, text: payloads.join('\n\n'), result: final.result ?? null, warnings,
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
    const command = await runner.command({message: options.message, agentId: options.agentId, sessionKey: options.sessionKey, channel: 'cli'}, options.clientInfo.version)
    if (command !== null && command.followUp === undefined) {
      const result = {payloads: [{text: command.reply}], meta: {command: command.command, sessionId: command.sessionId, previousSessionId: command.previousSessionId}}
      return {via: 'embedded', runId: '', status: 'ok', summary: 'completed', sessionKey: command.sessionKey, agentId: command.agentId, text: command.reply, result, warnings}
    }
    const handle = await runner.start({message: command?.followUp ?? options.message, agentId: options.agentId, sessionKey: options.sessionKey, timeoutSeconds: options.timeoutSeconds, observer: options.observer, channel: 'cli'})
    const onAbort = () => runner.abort(handle.admitted.sessionKey, handle.admitted.runId)
    options.signal?.addEventListener('abort', onAbort, {once: true})
    let outcome: RunOutcome
    try {
      outcome = await handle.done
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
    await runner.settled()
    if (outcome.status === 'error') throw runFailed(outcome)
    return {via: 'embedded', runId: outcome.runId, status: outcome.status, summary: outcome.summary, stopReason: outcome.stopReason, sessionKey: outcome.sessionKey, agentId: outcome.agentId, text: outcome.text, result: outcome.result, warnings: [...warnings, ...loaded.warnings]}
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
