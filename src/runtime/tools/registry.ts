import {INVALID_ARGUMENTS_KEY} from '../models/assistant-builder.js'
import type {ToolResultMessage, UserPart} from '../models/messages.js'
import type {ToolDefinition} from '../models/provider.js'
import {execTool} from './exec-tool.js'
import {editTool, lsTool, readTool, writeTool} from './fs-tools.js'
import {capText} from './output-limits.js'
import {resolveToolPolicy, type PolicyInput} from './policy.js'
import {messageTool, sessionsListTool, sessionsSendTool} from './session-tools.js'
import {ToolError, type Tool, type ToolContext} from './tool.js'
import {webFetchTool} from './web-fetch.js'

/** Every built-in tool, in the order they are offered. */
export const BUILTIN_TOOL_LIST: readonly Tool[] = [readTool, writeTool, editTool, lsTool, execTool, webFetchTool, sessionsListTool, sessionsSendTool, messageTool]

export interface ToolRegistry {
  /** What goes into the request's tools field (removed tools are not sent at all). */
  definitions: ToolDefinition[]
  /** One line per tool for the system prompt: `- read: Read a text file …`. */
  summaries: string[]
  /** Policy load warnings (an allow entry matching nothing). */
  warnings: string[]
  /** Runs one call and returns its transcript line: never throws for tool failures. */
  runTool(call: {id: string; name: string; arguments: Record<string, unknown>}, context: ToolContext): Promise<ToolResultMessage>
}

export interface RegistryInput extends Omit<PolicyInput, 'available'> {
  /** The run loop provides the sessions/message callbacks; without them those tools are not offered. */
  withCallbacks?: boolean
}

/** The tools of one run: the policy of runtime.md §8.7 applied to the built-ins. */
export function createToolRegistry(input: RegistryInput): ToolRegistry {
  const usable = BUILTIN_TOOL_LIST.filter((t) => input.withCallbacks === true || (t.group !== 'sessions' && t.group !== 'messaging'))
  const policy = resolveToolPolicy({...input, available: usable.map((t) => t.name)})
  const offered = usable.filter((t) => policy.allowed.includes(t.name))
  return {
    definitions: offered.map((t) => ({name: t.name, description: t.description, parameters: t.parameters})),
    summaries: offered.map((t) => `- ${t.name}: ${t.description}`),
    warnings: policy.warnings,
    runTool: (call, context) => runTool(offered, call, context),
  }
}

async function runTool(offered: readonly Tool[], call: {id: string; name: string; arguments: Record<string, unknown>}, context: ToolContext): Promise<ToolResultMessage> {
  const finish = (content: UserPart[], isError: boolean): ToolResultMessage => ({
    role: 'toolResult',
    toolCallId: call.id,
    toolName: call.name,
    content: content.map((p) => (p.type === 'text' ? {type: 'text', text: capText(p.text)} : p)),
    isError,
    timestamp: (context.now ?? Date.now)(),
  })
  const tool = offered.find((t) => t.name === call.name)
  if (tool === undefined) return finish([{type: 'text', text: `tool "${call.name}" is not available`}], true)
  const raw = call.arguments[INVALID_ARGUMENTS_KEY]
  if (typeof raw === 'string') return finish([{type: 'text', text: `invalid JSON arguments: ${raw.slice(0, 500)}`}], true)
  if (context.signal.aborted) return finish([{type: 'text', text: 'aborted'}], true)
  try {
    const output = await tool.run(call.arguments, context)
    return finish(output.content, output.isError)
  } catch (error) {
    if (error instanceof ToolError) return finish([{type: 'text', text: error.message}], true)
    if (context.signal.aborted) return finish([{type: 'text', text: 'aborted'}], true)
    return finish([{type: 'text', text: `tool ${call.name} failed: ${(error as Error)?.message ?? String(error)}`}], true)
  }
}
