import {hostRun, type ServiceHost} from './host.js'

export type LingerState = 'yes' | 'enabled' | 'failed' | 'n/a'

/**
 * Linger for a user unit (operations.md §4.5): without it systemd stops user services at
 * logout. Tries `loginctl enable-linger`, then through sudo. Never throws.
 */
export async function ensureLinger(host: ServiceHost, user: string): Promise<{state: LingerState; detail: string}> {
  const show = await hostRun(host, 'loginctl', ['show-user', user, '--property=Linger'], {timeoutMs: 10_000})
  if (show.notFound) return {state: 'n/a', detail: "loginctl isn't available; can't check lingering"}
  if (show.exitCode === 0 && /^Linger=yes$/m.test(show.stdout)) return {state: 'yes', detail: `lingering already enabled for ${user}`}
  const direct = await hostRun(host, 'loginctl', ['enable-linger', user], {timeoutMs: 30_000})
  if (direct.exitCode === 0) return {state: 'enabled', detail: `Lingering enabled for ${user}.`}
  const viaSudo = await hostRun({...host, useSudo: true}, 'loginctl', ['enable-linger', user], {privileged: true, timeoutMs: 120_000})
  if (viaSudo.exitCode === 0) return {state: 'enabled', detail: `Lingering enabled for ${user}.`}
  return {state: 'failed', detail: `Couldn't enable lingering; the gateway stops when you log out. Run manually: sudo loginctl enable-linger ${user}`}
}
