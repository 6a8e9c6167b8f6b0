/**
 * Asks `GET /health` on a port (operations.md §3.2–3.3): is a gateway answering there? Uses
 * node:http (no fetch, which would load undici on the startup path of a conflict).
 */
import http from 'node:http'

/** How long one probe may take (ms). */
export const HEALTH_PROBE_TIMEOUT_MS = 1000

/** True when `http://<host>:<port>/health` answers 200 with `{"ok":true}` within `timeoutMs`. */
export function probeGatewayHealth(host: string, port: number, timeoutMs = HEALTH_PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({host, port, path: '/health', timeout: timeoutMs, headers: {connection: 'close'}}, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk
      })
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(false)
        try {
          resolve((JSON.parse(body) as {ok?: unknown}).ok === true)
        } catch {
          resolve(false)
        }
      })
      res.on('error', () => resolve(false))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

/** The address to probe for a bound host: a wildcard bind answers on loopback. */
export function probeHostFor(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '::1'
  return host
}
