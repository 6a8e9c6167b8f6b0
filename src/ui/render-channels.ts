/** Human output of `channels status` (operations.md §2.3, telegram.md §11): one line per account, its last error and the hint for its code. */
import type {AccountSnapshot} from '../runtime/channels/adapter.js'

/** The hint telegram.md §11 gives under a failing account, by error code; null when there is none. Pure. */
export function accountHint(account: Pick<AccountSnapshot, 'lastErrorCode' | 'lockHolder'>): string | null {
  switch (account.lastErrorCode) {
    case 'TELEGRAM_CONFLICT': return 'stop the other poller, or revoke the token in @BotFather with /revoke'
    case 'TELEGRAM_TOKEN_LOCKED': return `another openclaw process on this machine uses this token${account.lockHolder ? ` (pid ${account.lockHolder.pid})` : ''}`
    case 'TELEGRAM_TOKEN_REJECTED': return 'check the token with @BotFather'
    default: return null
  }
}

export function renderChannelsStatus(accounts: readonly AccountSnapshot[]): string | string[] {
  if (accounts.length === 0) return 'No channels configured. Add one: openclaw channels add --channel telegram --token <token>'
  return accounts.map((a) => {
    const state = a.probe ? (a.probe.ok ? `ok @${a.probe.botUsername}` : `FAILED: ${a.probe.error}`) : !a.running ? 'not running' : a.pollingConflict ? 'conflict' : a.connected ? 'connected' : 'running'
    const hint = a.lastError ? accountHint(a) : null
    // A message that already carries its hint (a rejected token names @BotFather) needs no second line.
    const shown = hint !== null && a.lastError !== null && !a.lastError.includes(hint) ? hint : null
    return `${a.channel}  ${a.accountId}  ${a.enabled ? 'enabled' : 'disabled'}  ${a.mode}  token: ${a.tokenSource}  ${state}${a.lastError ? `\n  ${a.lastError}` : ''}${shown ? `\n  hint: ${shown}` : ''}`
  })
}
