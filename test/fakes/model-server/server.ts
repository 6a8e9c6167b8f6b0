import {readFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {createServer as createTlsServer} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'

import type {Action} from './actions.js'
import {renderAnthropic} from './render-anthropic.js'
import {renderOpenAi} from './render-openai.js'
import type {Dialect, ExpectStep, RecordedRequest, ResponseStep, Step} from './steps.js'

/**
 * The fake model server of runtime.md §10: a real HTTP server on 127.0.0.1 (ephemeral port)
 * answering `POST /v1/chat/completions` (OpenAI) and `POST /v1/messages` (Anthropic) from a
 * script of steps, and recording every request. `globalThis.fetch` is never patched: the code
 * under test builds requests, parses SSE, retries and rotates keys for real.
 */
export interface FakeModel {
  /** `http://127.0.0.1:<port>/v1`: base URL of an openai-completions provider. */
  readonly openaiBaseUrl: string
  /** `http://127.0.0.1:<port>`: base URL of an anthropic-messages provider. */
  readonly anthropicBaseUrl: string
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[]
  /** Scripts the next requests (FIFO, any model). */
  enqueue(...steps: Step[]): void
  /** Scripts requests whose `body.model` equals `model`; these win over the shared queue. */
  enqueueFor(model: string, ...steps: Step[]): void
  /** Steps not yet consumed. */
  pending(): number
  /** Resolves once `count` requests have arrived (default: one more than now). */
  waitForRequests(count?: number): Promise<RecordedRequest[]>
  /** Stops the server; throws when steps remain, an unscripted request came or an expectation failed. */
  close(): Promise<void>
  /** Stops the server without the leftover checks (for `afterEach` cleanup after a failed test). */
  destroy(): Promise<void>
}

export interface FakeModelOptions {
  /** Serve HTTPS with the test certificate of `tls/` (signed by `tls/ca.pem`, see {@link FAKE_MODEL_CA}). */
  tls?: boolean
}

/** The CA that signed the HTTPS fake's certificate: give it to a client as `NODE_EXTRA_CA_CERTS`. */
export const FAKE_MODEL_CA = new URL('./tls/ca.pem', import.meta.url).pathname

const PATHS: Record<string, Dialect> = {'/v1/chat/completions': 'openai', '/v1/messages': 'anthropic'}

export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  const shared: Step[] = []
  const byModel = new Map<string, Step[]>()
  const requests: RecordedRequest[] = []
  const failures: string[] = []
  const sockets = new Set<Socket>()
  const connectionIds = new WeakMap<Socket, number>()
  const waiters: Array<{count: number; resolve: (r: RecordedRequest[]) => void}> = []
  let sequence = 0
  let connections = 0

  const notify = () => {
    for (const waiter of [...waiters]) {
      if (requests.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(requests.slice())
      }
    }
  }

  const nextSteps = (model: unknown): {checks: ExpectStep[]; step: ResponseStep | undefined} => {
    const queue = typeof model === 'string' && (byModel.get(model)?.length ?? 0) > 0 ? byModel.get(model)! : shared
    const checks: ExpectStep[] = []
    while (queue[0]?.kind === 'expect') checks.push(queue.shift() as ExpectStep)
    return {checks, step: queue.shift() as ResponseStep | undefined}
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req)
    const dialect = PATHS[(req.url ?? '').split('?')[0]]
    if (req.method !== 'POST' || dialect === undefined) {
      res.writeHead(404, {'content-type': 'application/json'}).end(JSON.stringify({error: {message: `fake model: no route ${req.method} ${req.url}`}}))
      return
    }
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      body = raw
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]))
    const record: RecordedRequest = {path: req.url ?? '', dialect, headers, body, receivedAt: Date.now(), aborted: false, connection: connectionIds.get(req.socket) ?? 0}
    requests.push(record)
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true
    })
    notify()
    const {checks, step} = nextSteps((body as {model?: unknown})?.model)
    for (const check of checks) {
      try {
        check.check(record)
      } catch (error) {
        const message = `request #${requests.length} (${record.path}) failed an expectation: ${(error as Error).message}`
        failures.push(message)
        res.writeHead(500, {'content-type': 'application/json'}).end(JSON.stringify({error: {message: `fake model: ${message}`}}))
        return
      }
    }
    if (step === undefined) {
      failures.push(`unscripted request #${requests.length} to ${record.path} (model ${String((body as {model?: unknown})?.model)})`)
      res.writeHead(500, {'content-type': 'application/json'}).end(JSON.stringify({error: {message: 'fake model: no scripted response'}}))
      return
    }
    sequence++
    if (step.kind === 'reply' && step.holdUntil !== undefined) await step.holdUntil.catch(() => undefined)
    await play(dialect === 'openai' ? renderOpenAi(step, record, sequence) : renderAnthropic(step, record, sequence), res)
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      failures.push(`fake model crashed: ${(error as Error).stack ?? String(error)}`)
      res.destroy()
    })
  }
  const tlsDir = new URL('./tls/', import.meta.url)
  const server = options.tls ? createTlsServer({key: readFileSync(new URL('key.pem', tlsDir)), cert: readFileSync(new URL('cert.pem', tlsDir))}, onRequest) : createServer(onRequest)
  // TLS: the socket requests arrive on is the TLS socket of `secureConnection`.
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connectionIds.set(socket, ++connections)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as AddressInfo

  const stop = async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  return {
    openaiBaseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    enqueue: (...steps) => void shared.push(...steps),
    enqueueFor: (model, ...steps) => void byModel.set(model, [...(byModel.get(model) ?? []), ...steps]),
    pending: () => shared.length + [...byModel.values()].reduce((n, q) => n + q.length, 0),
    waitForRequests: (count) => {
      const wanted = count ?? requests.length + 1
      if (requests.length >= wanted) return Promise.resolve(requests.slice())
      return new Promise((resolve) => waiters.push({count: wanted, resolve}))
    },
    close: async () => {
      await stop()
      const left = shared.length + [...byModel.values()].reduce((n, q) => n + q.length, 0)
      const problems = [...failures]
      if (left > 0) problems.push(`${left} scripted step(s) were never requested`)
      if (problems.length > 0) throw new Error(`fake model: ${problems.join('; ')}`)
    },
    destroy: stop,
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Plays the actions on the response; stops quietly when the client goes away. */
async function play(actions: Action[], res: ServerResponse): Promise<void> {
  let closed = false
  const gone = new Promise<void>((resolve) => res.on('close', () => {
    closed = true
    resolve()
  }))
  for (const action of actions) {
    if (closed) return
    switch (action.kind) {
      case 'head':
        res.writeHead(action.status, action.headers)
        res.flushHeaders()
        break
      case 'write':
        res.write(action.data)
        break
      case 'wait':
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, action.ms).unref())])
        break
      case 'destroy':
        // FIN rather than RST, so the client reads the chunks before it sees the truncated body.
        res.socket?.end()
        return
      case 'hang':
        await gone
        return
      case 'end':
        res.end()
        return
    }
  }
}
