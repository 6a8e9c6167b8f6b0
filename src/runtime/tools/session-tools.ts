import {intArg, stringArg, textOutput, ToolError, type Tool} from './tool.js'

/** One row of `sessions_list`. */
export interface SessionRow {
  key: string
  sessionId: string
  updatedAt: number
  channel?: string
  displayName?: string
}

/**
 * What the run loop provides so the sessions and messaging tools stay thin adapters: the tools
 * validate arguments and render results; the loop owns stores, lanes and channels.
 */
export interface SessionToolCallbacks {
  /** This agent's sessions, newest first. */
  listSessions(input: {limit: number; activeMinutes?: number}): Promise<SessionRow[]>
  /** A followup turn in another session of the same agent; `timeoutMs` 0 = do not wait. */
  sendToSession(input: {sessionKey: string; message: string; timeoutMs: number}): Promise<{status: 'ok'; reply: string} | {status: 'queued'} | {status: 'timeout'}>
  /** Sends text through a channel; defaults (the run's origin, account included) are the loop's. */
  sendMessage(input: {text: string; to?: string; channel?: string; accountId?: string; threadId?: string; replyTo?: string}): Promise<{messageIds: string[]}>
}

function callbacksOf(context: Parameters<Tool['run']>[1]): SessionToolCallbacks {
  if (context.callbacks === undefined) throw new ToolError('this tool is not available in this run')
  return context.callbacks
}

export const sessionsListTool: Tool = {
  name: 'sessions_list',
  group: 'sessions',
  description: "List this agent's sessions: key, sessionId, updatedAt, channel, displayName.",
  parameters: {
    type: 'object',
    properties: {limit: {type: 'integer', minimum: 1, maximum: 200, description: 'Max rows (default 20)'}, activeMinutes: {type: 'integer', minimum: 1, description: 'Only sessions active within this many minutes'}},
  },
  async run(args, context) {
    const rows = await callbacksOf(context).listSessions({limit: intArg(args, 'limit', 1, 200) ?? 20, activeMinutes: intArg(args, 'activeMinutes', 1, 525_600)})
    return textOutput(JSON.stringify(rows.map((r) => ({...r, updatedAt: new Date(r.updatedAt).toISOString()})), null, 2))
  },
}

export const sessionsSendTool: Tool = {
  name: 'sessions_send',
  group: 'sessions',
  description: 'Send a message to another session of this agent and (optionally) wait for its reply.',
  parameters: {
    type: 'object',
    properties: {
      sessionKey: {type: 'string', description: 'Target session key'},
      message: {type: 'string', description: 'Message text'},
      timeoutSeconds: {type: 'integer', minimum: 0, description: 'Seconds to wait for the reply (default 60; 0 = do not wait)'},
    },
    required: ['sessionKey', 'message'],
  },
  async run(args, context) {
    const sessionKey = stringArg(args, 'sessionKey', {})
    if (sessionKey === context.sessionKey) throw new ToolError('a run may not send to its own session')
    const timeoutSeconds = intArg(args, 'timeoutSeconds', 0, 3600) ?? 60
    const result = await callbacksOf(context).sendToSession({sessionKey, message: stringArg(args, 'message', {}), timeoutMs: timeoutSeconds * 1000})
    if (result.status === 'ok') return textOutput(result.reply)
    return textOutput(JSON.stringify({status: result.status}), result.status === 'timeout')
  },
}

export const messageTool: Tool = {
  name: 'message',
  group: 'messaging',
  description: 'Send a text message (default: to the conversation this run came from).',
  parameters: {
    type: 'object',
    properties: {
      text: {type: 'string', description: 'Message text'},
      to: {type: 'string', description: 'Recipient (chat id); default: the current conversation'},
      channel: {type: 'string', description: 'Channel id (default: the current one)'},
      accountId: {type: 'string', description: 'Channel account (default: the one that received the message)'},
      threadId: {type: 'string', description: 'Thread / topic id'},
      replyTo: {type: 'string', description: 'Message id to reply to'},
    },
    required: ['text'],
  },
  async run(args, context) {
    const text = stringArg(args, 'text', {})
    if (text.trim() === '') throw new ToolError('text is empty')
    const optional = (name: string) => stringArg(args, name, {optional: true})
    const result = await callbacksOf(context).sendMessage({text, to: optional('to'), channel: optional('channel'), accountId: optional('accountId'), threadId: optional('threadId'), replyTo: optional('replyTo')})
    return textOutput(JSON.stringify({sent: true, messageIds: result.messageIds}))
  },
}
