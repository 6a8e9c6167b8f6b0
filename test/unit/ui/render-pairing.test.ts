import {describe, expect, it} from 'vitest'

import {renderPairingList} from '../../../src/ui/render-pairing.js'

const NOW = Date.parse('2026-12-04T21:00:00Z')
const row = (code: string, userId: string, extra: {username?: string; firstName?: string; lastName?: string; createdAt?: string} = {}) => ({
  code, userId, username: extra.username ?? null, firstName: extra.firstName ?? null, lastName: extra.lastName ?? null, accountId: 'default',
  createdAt: extra.createdAt ?? '2026-12-04T20:48:00Z', expiresAt: new Date(Date.parse(extra.createdAt ?? '2026-12-04T20:48:00Z') + 3_600_000).toISOString(),
})

describe('pairing list (human)', () => {
  it('aligns the columns of telegram.md §6.4, with - for a missing username or name', () => {
    expect(renderPairingList([row('K7PW3XQM', '123456789', {username: 'alice', firstName: 'Alice', lastName: 'Liddell'}), row('ABCDEFGH', '42', {createdAt: '2026-12-04T20:59:30Z'})], NOW)).toEqual([
      'Code      User id    Username  Name           Account  Requested  Expires in',
      'K7PW3XQM  123456789  @alice    Alice Liddell  default  12m ago    48m',
      'ABCDEFGH  42         -         -              default  1m ago     60m',
    ])
  })

  it('says so when nothing is pending', () => {
    expect(renderPairingList([], NOW)).toBe('No pending pairing requests.')
  })
})
