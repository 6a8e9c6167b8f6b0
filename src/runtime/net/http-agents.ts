import http from 'node:http'
import https from 'node:https'

import {freshSocketAgent} from './fresh-socket-agent.js'

/** Per-origin bound on open sockets; more requests to one origin wait in the agent's queue. */
const MAX_SOCKETS_PER_ORIGIN = 64
/** Idle sockets kept per origin for the next request. */
const MAX_FREE_SOCKETS_PER_ORIGIN = 32
/**
 * Node's agent closes an idle socket after this long (its timer); a request never picks one idle
 * past the server's `Keep-Alive` hint − 1 s or DEFAULT_IDLE_MS anyway (fresh-socket-agent.ts).
 */
const IDLE_SOCKET_MS = 30_000

/**
 * Keep-alive HTTP(S) agents, one per origin, kept by whoever lives across requests (a runner's
 * `KeyPools`). Idle sockets are unref'd by Node's agent, so they never keep a stopping process
 * alive; `close()` destroys them all at once. HTTPS uses Node's default CA store, which honours
 * `NODE_EXTRA_CA_CERTS`.
 */
export class HttpAgents {
  private readonly agents = new Map<string, http.Agent>()

  /** The agent for `url`'s origin (created on first use). */
  forUrl(url: URL): http.Agent {
    const origin = url.origin
    let agent = this.agents.get(origin)
    if (agent === undefined) {
      const options: http.AgentOptions = {keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN, maxFreeSockets: MAX_FREE_SOCKETS_PER_ORIGIN, timeout: IDLE_SOCKET_MS, scheduling: 'lifo'}
      agent = freshSocketAgent(url.protocol === 'https:' ? https.Agent : http.Agent, options)
      this.agents.set(origin, agent)
    }
    return agent
  }

  /** Destroys every socket, idle or busy (requests still running fail with a network error). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
    this.agents.clear()
  }
}
