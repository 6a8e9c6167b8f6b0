import type {AssistantMessage, ConversationMessage, ToolResultMessage, UserMessage} from '../../../../src/runtime/models/messages.js'

export const user = (text: string): UserMessage => ({role: 'user', content: [{type: 'text', text}], timestamp: 0})
export const image = (text: string): UserMessage => ({role: 'user', content: [{type: 'image', mimeType: 'image/png', data: 'AAAA'}, {type: 'text', text}], timestamp: 0})
export const assistant = (text: string, input = 0): AssistantMessage => ({role: 'assistant', content: [{type: 'text', text}], api: 'openai-completions', provider: 'p', model: 'm', usage: {input, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: input}, stopReason: 'stop'})
export const call = (id: string, name = 'read'): AssistantMessage => ({...assistant(''), content: [{type: 'toolCall', id, name, arguments: {path: 'a.txt'}}], stopReason: 'toolUse'})
export const result = (id: string, text: string, name = 'read'): ToolResultMessage => ({role: 'toolResult', toolCallId: id, toolName: name, content: [{type: 'text', text}], isError: false, timestamp: 0})
export const ids = (messages: ConversationMessage[]): string[] => messages.map((_, index) => `e${index}`)
