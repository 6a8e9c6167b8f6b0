/**
 * Rejected connects, logged at warn without drowning the log (issue 6 defect 8, issue 9 item 9):
 * the first rejection from an address is logged at once; later ones are counted and reported as
 * one line per address per flush (count, first and last time). Messages are the wire texts of
 * protocol.md §3.7, which never contain the presented secret. Memory is bounded: past
 * `maxAddresses` distinct addresses per interval, rejections are only counted in total.
 */
import type {GatewayLogger} from './services.js'

interface AddressRecord {
  count: number
  reported: number
  firstAt: number
  lastAt: number
  code: string
  message: string
}

export class RejectLog {
  private readonly records = new Map<string, AddressRecord>()
  private overflow = 0

  constructor(
    private readonly logger: GatewayLogger,
    private readonly now: () => number,
    private readonly maxAddresses = 1000,
  ) {}

  /** Records one rejected connect from `ip` (`code` is `details.code` when present, else the error code). */
  note(ip: string, code: string, message: string): void {
    const at = this.now()
    const record = this.records.get(ip)
    if (record !== undefined) {
      record.count++
      record.lastAt = at
      record.code = code
      record.message = message
      return
    }
    if (this.records.size >= this.maxAddresses) {
      this.overflow++
      return
    }
    this.records.set(ip, {count: 1, reported: 1, firstAt: at, lastAt: at, code, message})
    this.logger.warn(`gateway connect rejected from ${ip || 'unknown address'}: ${message}`, {ip, code, count: 1})
  }

  /** Logs the rejections counted since the last flush; forgets addresses that stayed quiet for a whole interval. */
  flush(): void {
    for (const [ip, record] of this.records) {
      if (record.count === record.reported) {
        this.records.delete(ip)
        continue
      }
      const since = new Date(record.firstAt).toISOString()
      const last = new Date(record.lastAt).toISOString()
      this.logger.warn(`gateway rejected ${record.count} connects from ${ip || 'unknown address'} since ${since} (last ${last}): ${record.message}`, {
        ip, code: record.code, count: record.count, firstAt: since, lastAt: last,
      })
      record.reported = record.count
    }
    if (this.overflow > 0) {
      this.logger.warn(`gateway rejected ${this.overflow} more connects from other addresses (too many addresses to list)`, {count: this.overflow})
      this.overflow = 0
    }
  }
}
