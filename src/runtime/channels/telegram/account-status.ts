import type {AccountSnapshot} from '../adapter.js'

/** The logger surface the adapter needs (a `Logger` fits; tests pass a recorder). */
export interface TelegramLog {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Mutable runtime state of one account, rendered into an `AccountSnapshot` (telegram.md §11). */
export class AccountStatusState {
  running = false
  connected = false
  botId: string | null = null
  botUsername: string | null = null
  privacyMode: boolean | null = null
  lastStartAt: number | null = null
  lastPollAt: number | null = null
  lastInboundAt: number | null = null
  lastOutboundAt: number | null = null
  lastError: string | null = null
  lastErrorCode: string | null = null
  lastErrorAt: number | null = null
  pollingConflict = false
  lockHolder: {pid: number; hostname: string} | null = null
  pendingUpdateCount: number | null = null
  skipped: Record<string, number> = {}
  lastSkip: AccountSnapshot['lastSkip'] = null
  lastConflictWarnAt = 0
  private lastWarnAt = 0

  recordError(code: string, message: string): void {
    this.lastError = message
    this.lastErrorCode = code
    this.lastErrorAt = Date.now()
  }

  clearError(): void {
    this.lastError = null
    this.lastErrorCode = null
    this.lastErrorAt = null
  }

  pollSucceeded(): void {
    this.connected = true
    this.lastPollAt = Date.now()
    if (this.pollingConflict || this.lastErrorCode === 'TELEGRAM_CONFLICT' || this.lastErrorCode === 'TELEGRAM_UNAVAILABLE') this.clearError()
    this.pollingConflict = false
  }

  recordSkip(reason: string, chatId: string | null): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1
    this.lastSkip = {reason, at: Date.now(), chatId}
  }

  /** `warn` at most once a minute (§4.5); the rest at debug. */
  rateLimitedWarn(log: TelegramLog, message: string): void {
    if (Date.now() - this.lastWarnAt > 60_000) {
      this.lastWarnAt = Date.now()
      log.warn(message)
    } else log.debug(message)
  }
}
