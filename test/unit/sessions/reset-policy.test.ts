import {describe, expect, it} from 'vitest'

import {resolveResetPolicy, staleReason} from '../../../src/runtime/sessions/reset-policy.js'

/** Local wall-clock times (the policy uses the process zone). */
const at = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute).getTime()
const daily = {mode: 'daily' as const, atHour: 4}

describe('staleReason (runtime.md §6.2 examples, atHour 4)', () => {
  it.each([
    ['started 03:59, message 04:01 → reset', at(7, 3, 59), at(7, 4, 1), 'daily'],
    ['started 04:00, message 09:00 → kept', at(7, 4, 0), at(7, 9, 0), null],
    ['started yesterday 05:00, message 03:00 → kept', at(6, 5), at(7, 3), null],
    ['started yesterday 05:00, message 04:30 → reset', at(6, 5), at(7, 4, 30), 'daily'],
  ])('%s', (_name, started, now, expected) => {
    expect(staleReason(daily, {sessionStartedAt: started, lastInteractionAt: started}, now)).toBe(expected)
  })

  it('idle: stale once idleMinutes passed since the last interaction; with daily, first expiry wins', () => {
    const idle = {mode: 'idle' as const, atHour: 4, idleMinutes: 30}
    expect(staleReason(idle, {sessionStartedAt: at(7, 5), lastInteractionAt: at(7, 10)}, at(7, 10, 29))).toBeNull()
    expect(staleReason(idle, {sessionStartedAt: at(7, 5), lastInteractionAt: at(7, 10)}, at(7, 10, 30))).toBe('idle')
    expect(staleReason({...daily, idleMinutes: 30}, {sessionStartedAt: at(7, 5), lastInteractionAt: at(7, 10)}, at(7, 11))).toBe('idle')
  })

  it('none never resets', () => {
    expect(staleReason({mode: 'none', atHour: 4}, {sessionStartedAt: 0, lastInteractionAt: 0}, at(7, 12))).toBeNull()
  })
})

describe('resolveResetPolicy: most specific wins', () => {
  const config = {reset: daily, resetByType: {group: {mode: 'idle' as const, idleMinutes: 60}, thread: {mode: 'none' as const}}, resetByChannel: {telegram: {atHour: 6}}}
  it.each([
    ['direct on cli: session.reset', {channel: 'cli', chatType: 'direct'}, {mode: 'daily', atHour: 4}],
    ['group: resetByType.group', {channel: 'cli', chatType: 'group'}, {mode: 'idle', atHour: 4, idleMinutes: 60}],
    ['topic: resetByType.thread', {channel: 'cli', chatType: 'group', isThread: true}, {mode: 'none', atHour: 4}],
    ['telegram group: channel over type', {channel: 'telegram', chatType: 'group'}, {mode: 'idle', atHour: 6, idleMinutes: 60}],
  ])('%s', (_name, where, expected) => {
    expect(resolveResetPolicy(config, where)).toEqual(expected)
  })
})
