/**
 * Binding the gateway port with the conflict rules of operations.md §3.3: on EADDRINUSE ask
 * `GET /health` there; a gateway answering is a refusal (78) naming its version; anything else
 * is retried every 250 ms for 5 s (a restarting gateway frees the port), then exit 1.
 * EADDRNOTAVAIL (a `customBindHost` that is not ours) is already a 78 from the listener.
 */
import {AppError, isAppError} from '../../errors/app-error.js'
import {probeGatewayHealth, probeHostFor} from './probe-health.js'
import {CONFIG_EXIT} from './startup-checks.js'

/** Retry period and total retry time for a port held by something that is not a gateway (ms). */
export const PORT_RETRY_EVERY_MS = 250
export const PORT_RETRY_FOR_MS = 5000

export interface ListenWithRetryOptions<T> {
  port: number
  /** Binds; throws the listener's AppError (`details.errno`, `details.host`) on failure. */
  bind(): Promise<T>
  /** The version of the gateway answering on `host:port`, or null when it will not say. */
  versionOf(host: string, port: number): Promise<string | null>
  /** Overridable for tests. */
  probe?: (host: string, port: number) => Promise<boolean>
  retryForMs?: number
  retryEveryMs?: number
  /** Told once when the port is busy and the retries begin. */
  onRetry?(message: string): void
}

/** Binds per operations.md §3.3; see the module comment. */
export async function listenWithRetry<T>(options: ListenWithRetryOptions<T>): Promise<T> {
  const probe = options.probe ?? ((host: string, port: number) => probeGatewayHealth(host, port))
  const deadline = Date.now() + (options.retryForMs ?? PORT_RETRY_FOR_MS)
  const every = options.retryEveryMs ?? PORT_RETRY_EVERY_MS
  let told = false
  for (;;) {
    try {
      return await options.bind()
    } catch (error) {
      if (!isAppError(error) || error.details.errno !== 'EADDRINUSE') throw error
      const host = probeHostFor(typeof error.details.host === 'string' ? error.details.host : undefined)
      if (await probe(host, options.port)) throw await anotherGateway(options, host)
      if (Date.now() + every > deadline) throw error
      if (!told) options.onRetry?.(`port ${options.port} is in use; retrying for ${Math.round((options.retryForMs ?? PORT_RETRY_FOR_MS) / 1000)} s`)
      told = true
      await new Promise((resolve) => setTimeout(resolve, every))
    }
  }
}

async function anotherGateway<T>(options: ListenWithRetryOptions<T>, host: string): Promise<AppError> {
  const {port} = options
  const version = await options.versionOf(host, port).catch(() => null)
  return new AppError('GATEWAY_ALREADY_RUNNING', `port ${port} is used by another gateway (openclaw${version === null ? '' : ` ${version}`}); pick another: openclaw config set gateway.port ${nextPort(port)}`, {
    exitCode: CONFIG_EXIT,
    hint: [`openclaw config set gateway.port ${nextPort(port)}`, `Or run this one elsewhere: openclaw gateway run --port ${nextPort(port)}`],
    details: {port, version},
  })
}

function nextPort(port: number): number {
  return port >= 65_535 ? port - 1 : port + 1
}
