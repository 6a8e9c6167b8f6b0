/**
 * The gateway side of `openclaw logs`: one authenticated socket (scope `operator.read`) and the
 * `logs.tail` RPC (protocol §6.4). Loaded lazily: it pulls in the ws client.
 */
import {z} from 'zod'

import {AppError} from '../errors/app-error.js'
import {connectGateway, type ClientInfo} from '../gateway/client/client.js'
import type {GatewayTarget} from '../gateway/client/target.js'
import type {LogTail} from '../logging/read-tail.js'
import type {TailReader, TailSizing} from './tail-reader.js'

export {decideLogsFallback, fallbackNote} from './source.js'

/** Lenient on purpose: an upstream gateway may add keys (protocol §10). */
const LogTailPayload = z.object({
  file: z.string(),
  cursor: z.number().int().min(0),
  size: z.number().int().min(0),
  lines: z.array(z.string()),
  truncated: z.boolean().optional(),
  skippedBytes: z.number().optional(),
  reset: z.boolean().optional(),
})

export interface GatewayReaderOptions {
  target: Pick<GatewayTarget, 'url' | 'token' | 'password'>
  /** Budget of the handshake, and of each request. */
  timeoutMs: number
  clientInfo: ClientInfo
  sizing: TailSizing
  /** Long-lived (follow): close a silent socket after two missed ticks. */
  watchdog?: boolean
}

/** Connects (throws the client's AppErrors) and returns a reader over `logs.tail`. */
export async function openGatewayTailReader(options: GatewayReaderOptions): Promise<TailReader> {
  const {target, timeoutMs, sizing} = options
  const connection = await connectGateway({...target, timeoutMs, clientInfo: options.clientInfo, scopes: ['operator.read'], watchdog: options.watchdog === true})
  return {
    source: 'gateway',
    async tail(cursor) {
      const params = cursor === undefined ? {limit: sizing.limit, maxBytes: sizing.maxBytes} : {cursor, limit: sizing.limit, maxBytes: sizing.maxBytes}
      const payload = await connection.request('logs.tail', params, {timeoutMs})
      return toLogTail(payload, target.url)
    },
    close() {
      connection.close()
    },
  }
}

function toLogTail(payload: unknown, url: string): LogTail {
  const parsed = LogTailPayload.safeParse(payload)
  if (!parsed.success) {
    throw new AppError('GATEWAY_PROTOCOL', `gateway at ${url} answered logs.tail with an unexpected shape: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      hint: ['Upgrade the older side; see the server version: openclaw gateway probe'],
      details: {url, phase: 'request', requestSent: true},
    })
  }
  const {file, cursor, size, lines, truncated, skippedBytes, reset} = parsed.data
  const tail: LogTail = {file, cursor, size, lines}
  if (truncated === true) tail.truncated = true
  if (skippedBytes !== undefined && skippedBytes > 0) tail.skippedBytes = skippedBytes
  if (reset === true) tail.reset = true
  return tail
}
