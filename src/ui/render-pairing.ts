/** Human output of `pairing list` (telegram.md §6.4): an aligned table, or the empty line. */

export interface PairingRow {code: string; userId: string; username: string | null; firstName: string | null; lastName: string | null; accountId: string; createdAt: string; expiresAt: string}

const HEADER = ['Code', 'User id', 'Username', 'Name', 'Account', 'Requested', 'Expires in']

/** `0m ago` / `12m`: whole minutes, never negative. Pure. */
function minutes(ms: number): string {
  return `${Math.max(0, Math.round(ms / 60_000))}m`
}

export function renderPairingList(requests: readonly PairingRow[], now: number): string | string[] {
  if (requests.length === 0) return 'No pending pairing requests.'
  const rows = [HEADER, ...requests.map((r) => [
    r.code, r.userId, r.username ? `@${r.username}` : '-', [r.firstName, r.lastName].filter(Boolean).join(' ') || '-', r.accountId,
    `${minutes(now - Date.parse(r.createdAt))} ago`, minutes(Date.parse(r.expiresAt) - now),
  ])]
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd())
}
