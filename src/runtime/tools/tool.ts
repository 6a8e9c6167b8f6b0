import type {Config} from '../config/schema/index.js'
import type {UserPart} from '../models/messages.js'
import type {ApprovalStore} from './approvals.js'
import type {SessionToolCallbacks} from './session-tools.js'

export type ToolGroup = 'fs' | 'runtime' | 'web' | 'sessions' | 'messaging'

/** What a tool hands back: text (and images) for the model, and whether it failed. */
export interface ToolOutput {
  content: UserPart[]
  isError: boolean
}

/** Everything a tool may use for one call; built by the run loop per run. */
export interface ToolContext {
  agentId: string
  sessionKey: string
  /** The agent workspace (absolute). */
  workspace: string
  /** The frozen config: `tools.*` settings. */
  config: Readonly<Config>
  /** The run's signal: abort cancels running tools. */
  signal: AbortSignal
  /** Epoch ms when the run times out; exec's timeout is capped by what is left. */
  deadline?: number
  /** The exec approval store of this gateway / CLI run. */
  approvals: ApprovalStore
  /** Adapters the run loop provides for the sessions and messaging tools. */
  callbacks?: SessionToolCallbacks
  /** The process env (exec children inherit it). */
  env: NodeJS.ProcessEnv
  now?: () => number
  /** Let web_fetch reach private and loopback addresses (tests against a local server; trusted setups). */
  allowPrivateNetwork?: boolean
}

/** A built-in tool (runtime.md §8.7): a JSON-Schema parameter list and a run function. */
export interface Tool {
  name: string
  group: ToolGroup
  /** One line: shown to the model in the tools field and the system prompt. */
  description: string
  parameters: Record<string, unknown>
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolOutput>
}

/** A failure the model should see as the tool result (`isError: true`), not a crash of the run. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ToolError'
  }
}

export function textOutput(text: string, isError = false): ToolOutput {
  return {content: [{type: 'text', text}], isError}
}

/** Reads a string argument; throws a ToolError naming it when missing or of the wrong type. */
export function stringArg(args: Record<string, unknown>, name: string, options: {optional?: false}): string
export function stringArg(args: Record<string, unknown>, name: string, options: {optional: true}): string | undefined
export function stringArg(args: Record<string, unknown>, name: string, options: {optional?: boolean}): string | undefined {
  const value = args[name]
  if (value === undefined || value === null) {
    if (options.optional === true) return undefined
    throw new ToolError(`missing required parameter "${name}"`)
  }
  if (typeof value !== 'string') throw new ToolError(`parameter "${name}" must be a string`)
  return value
}

/** Reads an optional integer argument within [min, max]. */
export function intArg(args: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = args[name]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new ToolError(`parameter "${name}" must be an integer from ${min} to ${max}`)
  return n
}
