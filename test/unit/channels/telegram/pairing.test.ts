import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {allowFromFile, PAIRING_ALPHABET, PairingStore} from '../../../../src/runtime/channels/telegram/pairing-store.js'
import {tempDirs} from './harness.js'

let dirs: ReturnType<typeof tempDirs>
let now: number
let store: PairingStore
beforeEach(() => {
  dirs = tempDirs()
  now = Date.parse('2026-12-04T15:00:00Z')
  store = new PairingStore(dirs.stateDir, () => now)
})
afterEach(() => dirs.cleanup())

describe('pairing store (§6.3, §6.4)', () => {
  it('creates an 8-character code from the alphabet, and re-prompts only after 10 minutes', async () => {
    const created = await store.request('default', {id: '7', username: 'alice', firstName: 'Alice'})
    expect(created.kind).toBe('created')
    expect(created.request.code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{8}$`))
    now += 9 * 60_000
    expect(await store.request('default', {id: '7'})).toMatchObject({kind: 'pending', prompt: false})
    now += 60_000
    expect(await store.request('default', {id: '7'})).toMatchObject({kind: 'pending', prompt: true, request: {code: created.request.code}})
    expect(statSync(`${dirs.stateDir}/credentials/telegram-pairing.json`).mode & 0o777).toBe(0o600)
  })

  it('a fourth request evicts the one seen longest ago', async () => {
    for (const id of ['1', '2', '3']) {
      await store.request('default', {id})
      now += 1000
    }
    const fourth = await store.request('default', {id: '4'})
    expect(fourth.kind === 'created' && fourth.evicted?.id).toBe('1')
    expect(store.list('default').map((r) => r.id)).toEqual(['2', '3', '4'])
  })

  it('approve writes the allowFrom file (codes match in any case, with dashes) and removes the request', async () => {
    const {request} = await store.request('default', {id: '7'})
    const typed = `${request.code.slice(0, 4).toLowerCase()}-${request.code.slice(4)}`
    expect((await store.approve(typed)).id).toBe('7')
    expect(JSON.parse(readFileSync(allowFromFile(dirs.stateDir, 'default'), 'utf8'))).toEqual({version: 1, allowFrom: ['7']})
    expect(store.allowFrom('default', true)).toEqual(['7'])
    expect(store.list()).toEqual([])
  })

  it('codes expire one hour after createdAt, whatever the sender does meanwhile', async () => {
    const {request} = await store.request('default', {id: '7'})
    now += 30 * 60_000
    await store.request('default', {id: '7'})
    now += 30 * 60_000
    await expect(store.approve(request.code)).rejects.toMatchObject({
      code: 'PAIRING_CODE_NOT_FOUND',
      message: `No pending pairing request with code ${request.code} for telegram (codes expire after 1 hour). List them: openclaw pairing list telegram`,
    })
  })

  it('reads the allowFrom files once per event-loop turn, sees another process\'s change from the next turn, and its own approval at once', async () => {
    const file = allowFromFile(dirs.stateDir, 'default')
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, JSON.stringify({version: 1, allowFrom: ['1']}))
    expect(store.allowFrom('default', true)).toEqual(['1'])
    // Another process adds a sender: a DM in the same turn (one poll batch) still sees the old list...
    writeFileSync(file, JSON.stringify({version: 1, allowFrom: ['1', '22']}))
    expect(store.allowFrom('default', true)).toEqual(['1'])
    // ...the next turn sees the new one (same mtime is possible: the size changed).
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.allowFrom('default', true)).toEqual(['1', '22'])
    const {request} = await store.request('default', {id: '7'})
    expect(store.allowFrom('default', true)).toEqual(['1', '22'])
    await store.approve(request.code)
    expect(store.allowFrom('default', true)).toEqual(['1', '22', '7'])
  })
})
