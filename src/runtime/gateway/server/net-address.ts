/** Peer-address rules (protocol.md §4.4): who counts as a loopback client. */
import type {IncomingHttpHeaders} from 'node:http'

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const

/** Strips the IPv4-mapped prefix (`::ffff:127.0.0.1` → `127.0.0.1`); '' for an unknown peer. */
export function normalizeIp(address: string | undefined): string {
  if (address === undefined) return ''
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const ip = normalizeIp(address)
  return ip === '::1' || ip.startsWith('127.')
}

/** A loopback peer whose upgrade carries no proxy forwarding header (a proxy could be relaying anyone). */
export function isLoopbackClient(address: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (!isLoopbackAddress(address)) return false
  return FORWARDING_HEADERS.every((name) => headers[name] === undefined)
}

/** `host:port` for URLs and log lines, bracketing IPv6 literals. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
