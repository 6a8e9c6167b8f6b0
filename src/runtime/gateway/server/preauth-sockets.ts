/**
 * The per-address budget of unauthenticated sockets (protocol.md §1.1, issue 6 defect 2). Every
 * TCP connection counts from accept (raw, HTTP, or a WebSocket still in its handshake) until it
 * authenticates or closes, so neither idle sockets nor slowloris requests nor pending handshakes
 * from one address can exhaust the process's file descriptors.
 */
export class PreauthSockets {
  private readonly byIp = new Map<string, number>()
  private readonly counted = new WeakMap<object, string>()

  constructor(private readonly maxPerIp: number) {}

  /** Unauthenticated sockets from `ip` right now. */
  count(ip: string): number {
    return this.byIp.get(ip) ?? 0
  }

  /** Counts a new socket from `ip`; false (and not counted) when the address is at its budget. */
  admit(socket: object, ip: string): boolean {
    const current = this.count(ip)
    if (current >= this.maxPerIp) return false
    this.byIp.set(ip, current + 1)
    this.counted.set(socket, ip)
    return true
  }

  /** Uncounts a socket (authenticated or closed); idempotent. */
  release(socket: object): void {
    const ip = this.counted.get(socket)
    if (ip === undefined) return
    this.counted.delete(socket)
    const left = this.count(ip) - 1
    if (left <= 0) this.byIp.delete(ip)
    else this.byIp.set(ip, left)
  }
}
