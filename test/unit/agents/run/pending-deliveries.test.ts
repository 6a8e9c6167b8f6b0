import {describe, expect, it} from 'vitest'

import {scanPendingDeliveries} from '../../../../src/runtime/agents/run/pending-deliveries.js'

const origin = (key: string, delivery: 'channel' | 'none') => ({channel: 'telegram', accountId: 'default', peer: {kind: 'direct', id: '9'}, dedupeKeys: [key], ...(delivery === 'channel' ? {delivery} : {})})
const user = (key: string, delivery: 'channel' | 'none' = 'channel') => ({type: 'message', message: {role: 'user', content: [{type: 'text', text: `q ${key}`}]}, origin: origin(key, delivery)})
const answer = (text: string, stopReason = 'stop') => ({type: 'message', message: {role: 'assistant', content: [{type: 'text', text}], stopReason}})
const mark = (key: string, state: string) => ({type: 'custom', customType: 'openclaw.delivery', data: {dedupeKey: key, state}})
const inbound = {type: 'custom', customType: 'openclaw.inbound', data: {}}

const cases: Array<{name: string; lines: unknown[]; unsent: string[]; interrupted: string[]}> = [
  {name: 'a delivered final is done', lines: [user('k1'), answer('a1'), mark('k1', 'sending'), mark('k1', 'delivered')], unsent: [], interrupted: []},
  {name: 'a final with no marker never left: send it', lines: [user('k1'), answer('a1')], unsent: ['k1:a1'], interrupted: []},
  {name: 'sending with no outcome may have been on the wire: interrupted', lines: [user('k1'), answer('a1'), mark('k1', 'sending')], unsent: [], interrupted: ['k1:a1']},
  {name: 'uncertain, failed and undelivered are outcomes', lines: [user('k1'), answer('a1'), mark('k1', 'uncertain'), user('k2'), answer('a2'), mark('k2', 'failed'), user('k3'), answer('a3'), mark('k3', 'sending'), mark('k3', 'undelivered')], unsent: [], interrupted: []},
  {name: 'several turns of one chat: each judged by its own key, markers may come late', lines: [user('k1'), answer('a1'), mark('k1', 'sending'), inbound, user('k2'), answer('a2'), user('k3'), answer('a3'), mark('k1', 'delivered'), mark('k2', 'sending')], unsent: ['k3:a3'], interrupted: ['k2:a2']},
  {name: 'an operator turn (no channel delivery) is never sent', lines: [user('k1', 'none'), answer('a1')], unsent: [], interrupted: []},
  {name: 'tool-use steps are not finals; the answer after them is', lines: [user('k1'), answer('', 'toolUse'), {type: 'message', message: {role: 'toolResult', content: []}}, answer('a1')], unsent: ['k1:a1'], interrupted: []},
  {name: 'an empty or NO_REPLY final sends nothing', lines: [user('k1'), answer('NO_REPLY'), user('k2'), answer('  ')], unsent: [], interrupted: []},
  {name: 'a turn still running (no final yet) is left to the replayed run', lines: [user('k1')], unsent: [], interrupted: []},
  {name: 'a steered turn counts a marker under any of its keys', lines: [user('k1'), user('k2'), answer('a12'), mark('k2', 'delivered')], unsent: [], interrupted: []},
]

const preview = (key: string, messageId: string) => ({type: 'custom', customType: 'openclaw.delivery', data: {dedupeKey: key, state: 'preview', messageId}})

describe('scanPendingDeliveries: streamed previews a crash left behind', () => {
  it.each([
    {name: 'an unsent final carries its preview (the final edits it)', lines: [user('k1'), preview('k1', '7'), answer('a1')], unsent: ['k1:a1:7'], open: undefined},
    {name: 'a preview marker is not an outcome: the final is still unsent', lines: [user('k1'), answer('a1'), preview('k1', '7')], unsent: ['k1:a1:7'], open: undefined},
    {name: 'a delivered final with a preview is done', lines: [user('k1'), preview('k1', '7'), answer('a1'), mark('k1', 'sending'), mark('k1', 'delivered')], unsent: [], open: undefined},
    {name: 'the running turn exposes its preview for the replayed run', lines: [user('k1'), answer('a1'), mark('k1', 'sending'), mark('k1', 'delivered'), user('k2'), preview('k2', '9')], unsent: [], open: '9'},
    {name: 'a steered turn finds the preview under any of its keys', lines: [user('k1'), user('k2'), preview('k2', '4')], unsent: [], open: '4'},
    {name: 'an earlier turn\'s preview is not the running turn\'s', lines: [user('k1'), preview('k1', '3'), answer('a1'), mark('k1', 'sending'), mark('k1', 'delivered'), user('k2')], unsent: [], open: undefined},
  ])('$name', ({lines, unsent, open}) => {
    const scan = scanPendingDeliveries(lines)
    expect(scan.unsent.map((p) => `${p.dedupeKey}:${p.text}:${p.previewMessageId}`)).toEqual(unsent)
    expect(scan.interrupted).toEqual([])
    expect(scan.openPreviewMessageId).toBe(open)
  })
})

describe('scanPendingDeliveries', () => {
  it.each(cases)('$name', ({lines, unsent, interrupted}) => {
    const scan = scanPendingDeliveries(lines)
    expect(scan.unsent.map((p) => `${p.dedupeKey}:${p.text}`)).toEqual(unsent)
    expect(scan.interrupted.map((p) => `${p.dedupeKey}:${p.text}`)).toEqual(interrupted)
  })
})
