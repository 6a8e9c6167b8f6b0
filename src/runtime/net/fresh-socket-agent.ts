import http from 'node:http'
import type https from 'node:https'
import type {Socket} from 'node:net'

/**
 * How long a kept-alive connection may sit idle before we stop reusing it, when the server does not
 * say (`Keep-Alive: timeout=N`, then N − 1 s). Below common server idle timeouts (nginx: 75 s).
 */
export const DEFAULT_IDLE_MS = 20_000
const HINT_MARGIN_MS = 1000

/**
 * A keep-alive agent that never hands out a connection idle longer than the server keeps it open,
 * judged by the wall clock when a request picks one. Node's agent closes idle sockets on timers and
 * FIN events, which a busy event loop runs late: a request could then be written on a connection
 * the server had already closed, fail with "socket hang up", and a `sendMessage` that never reached
 * Telegram would count as uncertain (never resent: a lost reply); a model request would have to be sent again.
 */
export function freshSocketAgent(Base: typeof http.Agent | typeof https.Agent, agentOptions: http.AgentOptions = {}, clock: {now?: () => number; defaultIdleMs?: number} = {}): http.Agent {
  const now = clock.now ?? Date.now
  const defaultIdleMs = clock.defaultIdleMs ?? DEFAULT_IDLE_MS
  // keepSocketAlive and addRequest are Node's documented/overridable agent hooks (addRequest is untyped in @types/node).
  const agent = new Base({...agentOptions, keepAlive: true})
  const hooks = agent as unknown as {keepSocketAlive(socket: Socket): boolean; addRequest(...args: unknown[]): void}
  const freedAt = new WeakMap<object, {at: number; maxIdleMs: number}>()
  const keepSocketAlive = hooks.keepSocketAlive.bind(agent)
  const addRequest = hooks.addRequest.bind(agent)
  hooks.keepSocketAlive = (socket) => {
    const keep = keepSocketAlive(socket)
    const hint = /^timeout=(\d+)/.exec(String((socket as Socket & {_httpMessage?: {res?: http.IncomingMessage}})._httpMessage?.res?.headers['keep-alive'] ?? ''))?.[1]
    freedAt.set(socket, {at: now(), maxIdleMs: hint === undefined ? defaultIdleMs : Number(hint) * 1000 - HINT_MARGIN_MS})
    return keep
  }
  hooks.addRequest = (...args) => {
    const at = now()
    // Free sockets are kept in the order they were freed: the stale ones are a prefix of each list.
    for (const list of Object.values(agent.freeSockets)) {
      for (const socket of list ?? []) {
        const free = freedAt.get(socket)
        if (free === undefined || at - free.at <= free.maxIdleMs) break
        // Destroyed sockets are skipped by Node's agent and counted out by its close handler.
        socket.destroy()
      }
    }
    addRequest(...args)
  }
  return agent
}

