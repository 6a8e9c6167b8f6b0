import {isIP} from 'node:net'

/**
 * Whether an address is one web_fetch must not reach (runtime.md §8.7): loopback, private,
 * link-local, unique-local, CGNAT, unspecified, multicast and the IPv4-mapped forms of these.
 */
export function isBlockedAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase()
  const version = isIP(ip)
  if (version === 4) return blockedV4(ip)
  if (version !== 6) return true
  if (ip === '::' || ip === '::1') return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip)
  if (mapped !== null) return blockedV4(mapped[1])
  const first = parseInt(ip.split(':')[0] || '0', 16)
  if ((first & 0xfe00) === 0xfc00) return true // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true // fe80::/10 link local
  if ((first & 0xff00) === 0xff00) return true // multicast
  return false
}

function blockedV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number)
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224
}
