import {describe, expect, it} from 'vitest'

import {parseApproveArgs, parseChatText} from '../../../src/runtime/chat-commands/parse.js'

describe('parseChatText (runtime.md §7)', () => {
  it.each([
    ['/help', {kind: 'command', command: {name: 'help', args: ''}}],
    ['  /STATUS  ', {kind: 'command', command: {name: 'status', args: ''}}],
    ['/new sonnet hello there', {kind: 'command', command: {name: 'new', args: 'sonnet hello there'}}],
    ['/reset: now', {kind: 'command', command: {name: 'reset', args: 'now'}}],
    ['/model@mybot #2', {kind: 'command', command: {name: 'model', args: '#2', addressedTo: 'mybot'}}],
    ['/stop@otherbot', {kind: 'other-bot', addressedTo: 'otherbot'}],
    ['/approve ab12 allow-once', {kind: 'command', command: {name: 'approve', args: 'ab12 allow-once'}}],
    ['/weather today', {kind: 'text'}],
    ['hello /help', {kind: 'text'}],
    ['/help\nmore lines', {kind: 'command', command: {name: 'help', args: 'more lines'}}],
    ['/helpme', {kind: 'text'}],
  ])('%j', (text, expected) => {
    expect(parseChatText(text, {botUsername: 'MyBot'})).toEqual(expected)
  })

  it('session.resetTriggers: a custom trigger resets, a removed one is model text', () => {
    expect(parseChatText('/fresh', {resetTriggers: ['/fresh', '/new']})).toEqual({kind: 'command', command: {name: 'reset', args: ''}})
    expect(parseChatText('/reset', {resetTriggers: ['/new']})).toEqual({kind: 'text'})
  })

  it.each([
    ['ab12 allow-once', {id: 'ab12', decision: 'allow-once'}],
    ['ab12 DENY', {id: 'ab12', decision: 'deny'}],
    ['ab12', null],
    ['ab12 maybe', null],
    ['ab12 deny extra', null],
  ])('approve args %j', (args, expected) => {
    expect(parseApproveArgs(args)).toEqual(expected)
  })
})
