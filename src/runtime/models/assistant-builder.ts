import {ZERO_USAGE, type AssistantMessage, type AssistantPart, type StopReason, type ToolCallPart, type Usage} from './messages.js'
import type {ModelStreamEvent, ResolvedModel, ToolDefinition} from './provider.js'

/**
 * Key of the single argument a tool call gets when the model sent arguments that are not JSON:
 * the raw text is kept (and sent back verbatim) and the tool run answers `invalid JSON
 * arguments: …`, so the model sees its mistake (runtime.md §8.3).
 */
export const INVALID_ARGUMENTS_KEY = '__openclaw_invalid_json'

/** Parses streamed tool arguments; `''` is `{}`; anything but a JSON object is kept raw under {@link INVALID_ARGUMENTS_KEY}. */
export function parseToolArguments(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // fall through: keep the raw text
  }
  return {[INVALID_ARGUMENTS_KEY]: raw}
}

/** The arguments as the wire wants them back: the raw text for invalid ones. */
export function serializeToolArguments(args: Record<string, unknown>): string {
  const raw = args[INVALID_ARGUMENTS_KEY]
  return typeof raw === 'string' && Object.keys(args).length === 1 ? raw : JSON.stringify(args)
}

/**
 * Collects one streamed answer into the transcript's AssistantMessage, emitting the internal
 * events on the way. With `holdText` (text tool-call recovery on, tools offered) text that starts
 * with `{` or a code fence is held back until the end, so a JSON tool call never shows in a preview.
 */
export class AssistantBuilder {
  private thinking = ''
  private text = ''
  private held = ''
  private holding: boolean | undefined
  private readonly calls: ToolCallPart[] = []
  usage: Usage = {...ZERO_USAGE}
  stopReason: StopReason | undefined

  constructor(private readonly model: ResolvedModel, private readonly tools: ToolDefinition[]) {}

  private get recover(): boolean {
    return this.model.compat.recoverTextToolCalls && this.tools.length > 0
  }

  textDelta(delta: string): ModelStreamEvent[] {
    if (delta === '') return []
    if (this.recover && this.holding !== false) {
      this.held += delta
      const trimmed = this.held.trimStart()
      if (trimmed === '') return []
      if (this.holding === undefined) this.holding = trimmed.startsWith('{') || trimmed.startsWith('```')
      if (this.holding) return []
      const flushed = this.held
      this.held = ''
      this.text += flushed
      return [{type: 'text', delta: flushed}]
    }
    this.text += delta
    return [{type: 'text', delta}]
  }

  thinkingDelta(delta: string): ModelStreamEvent[] {
    if (delta === '') return []
    this.thinking += delta
    return [{type: 'thinking', delta}]
  }

  toolCall(id: string | undefined, name: string, rawArguments: string): ModelStreamEvent[] {
    const part: ToolCallPart = {type: 'toolCall', id: id === undefined || id === '' ? `call_${this.calls.length + 1}` : id, name, arguments: parseToolArguments(rawArguments)}
    this.calls.push(part)
    return [{type: 'toolCall', id: part.id, name: part.name, arguments: part.arguments}]
  }

  setUsage(usage: Partial<Usage>): ModelStreamEvent[] {
    const merged = {...this.usage, ...Object.fromEntries(Object.entries(usage).filter(([, v]) => typeof v === 'number'))}
    merged.totalTokens = usage.totalTokens ?? merged.input + merged.output + merged.cacheRead + merged.cacheWrite
    this.usage = merged
    return [{type: 'usage', usage: {...merged}}]
  }

  /** Ends the answer: resolves held text (a recovered call or one delayed delta) and yields `done`. */
  finish(): ModelStreamEvent[] {
    const events: ModelStreamEvent[] = []
    if (this.held !== '') {
      const recovered = this.calls.length === 0 ? recoverTextToolCall(this.held, this.tools) : undefined
      if (recovered !== undefined) {
        events.push(...this.toolCall(undefined, recovered.name, JSON.stringify(recovered.arguments)))
        this.stopReason = 'toolUse'
      } else {
        this.text += this.held
        events.push({type: 'text', delta: this.held})
      }
      this.held = ''
    }
    events.push({type: 'done', message: this.message()})
    return events
  }

  message(): AssistantMessage {
    const content: AssistantPart[] = []
    if (this.thinking !== '') content.push({type: 'thinking', thinking: this.thinking})
    if (this.text !== '') content.push({type: 'text', text: this.text})
    content.push(...this.calls)
    const stopReason = this.stopReason ?? (this.calls.length > 0 ? 'toolUse' : 'stop')
    return {role: 'assistant', content, api: this.model.api, provider: this.model.provider, model: this.model.model, usage: {...this.usage}, stopReason}
  }

  /** Streamed so far, for a partial answer written on abort or timeout. */
  partialText(): string {
    return this.text
  }
}

/**
 * Text tool-call recovery (runtime.md §8.3): the whole trimmed text, optionally inside one json
 * code fence, is `{name, arguments | parameters}` naming an offered tool.
 */
export function recoverTextToolCall(textValue: string, tools: ToolDefinition[]): {name: string; arguments: Record<string, unknown>} | undefined {
  let body = textValue.trim()
  const fence = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(body)
  if (fence !== null) body = fence[1].trim()
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const {name, arguments: args, parameters} = parsed as {name?: unknown; arguments?: unknown; parameters?: unknown}
  if (typeof name !== 'string' || !tools.some((t) => t.name === name)) return undefined
  const value = args ?? parameters ?? {}
  const objectArgs = typeof value === 'string' ? safeObject(value) : value
  if (typeof objectArgs !== 'object' || objectArgs === null || Array.isArray(objectArgs)) return undefined
  return {name, arguments: objectArgs as Record<string, unknown>}
}

function safeObject(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
