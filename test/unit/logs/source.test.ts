import {describe, expect, it} from 'vitest'

import {AppError} from '../../../src/runtime/errors/app-error.js'
import {closedError, socketError, timeoutError, upgradeRefused} from '../../../src/runtime/gateway/client/errors.js'
import {decideLogsFallback, fallbackNote, type LogsFallback} from '../../../src/runtime/logs/source.js'

const URL = 'ws://127.0.0.1:18789'
const refused = socketError(URL, Object.assign(new Error('connect ECONNREFUSED'), {code: 'ECONNREFUSED'}))
const hostDown = socketError(URL, Object.assign(new Error('connect EHOSTUNREACH'), {code: 'EHOSTUNREACH'}))
const authFailed = new AppError('GATEWAY_AUTH_FAILED', 'unauthorized: gateway token mismatch', {details: {url: URL, phase: 'handshake', requestSent: false}})
const timedOut = timeoutError(URL, 'handshake', 30000, 'hello-ok')
const requestTimedOut = timeoutError(URL, 'request', 30000, 'the answer')
const closed = closedError(URL, 'request', 1012, 'service restart')
const notAGateway = upgradeRefused(URL, 404)
const unknownMethod = new AppError('GATEWAY_REQUEST_FAILED', 'unknown method: logs.tail', {details: {code: 'INVALID_REQUEST'}})

describe('decideLogsFallback (operations.md §1.2, §7)', () => {
  it.each<[string, unknown, boolean, boolean, LogsFallback]>([
    ['implicit target, connection refused, no gateway lock', refused, false, false, {local: true, reason: 'not-running'}],
    ['implicit target, connection refused, but a live gateway lock', refused, false, true, {local: false}],
    ['explicit target, connection refused', refused, true, false, {local: false}],
    ['implicit target, auth refused', authFailed, false, true, {local: true, reason: 'auth-refused'}],
    ['explicit target, auth refused', authFailed, true, false, {local: false}],
    ['implicit target, handshake timeout', timedOut, false, true, {local: true, reason: 'timeout'}],
    ['implicit target, request timeout', requestTimedOut, false, false, {local: true, reason: 'timeout'}],
    ['explicit target, timeout', timedOut, true, false, {local: false}],
    ['implicit target, another socket error', hostDown, false, false, {local: false}],
    ['implicit target, closed mid-request', closed, false, false, {local: false}],
    ['implicit target, something else answers HTTP', notAGateway, false, false, {local: false}],
    ['implicit target, the gateway answered with an error', unknownMethod, false, false, {local: false}],
    ['not an AppError', new Error('boom'), false, false, {local: false}],
  ])('%s', (_name, error, explicitTarget, lockAlive, expected) => {
    expect(decideLogsFallback(error, {explicitTarget, hasLiveGatewayLock: () => lockAlive})).toEqual(expected)
  })

  it('reads the gateway lock only for a refused connection', () => {
    let asked = 0
    const hasLiveGatewayLock = () => {
      asked++
      return false
    }
    decideLogsFallback(authFailed, {explicitTarget: false, hasLiveGatewayLock})
    decideLogsFallback(timedOut, {explicitTarget: false, hasLiveGatewayLock})
    expect(asked).toBe(0)
    decideLogsFallback(refused, {explicitTarget: false, hasLiveGatewayLock})
    expect(asked).toBe(1)
  })
})

describe('fallbackNote', () => {
  it.each<[string, LogsFallback, unknown, string | null]>([
    ['none when the gateway is simply not running', {local: true, reason: 'not-running'}, refused, null],
    ['none without a fallback', {local: false}, refused, null],
    ['names the refusal', {local: true, reason: 'auth-refused'}, authFailed, `the gateway at ${URL} refused the credentials (unauthorized: gateway token mismatch); showing the local log file instead`],
    ['names the timeout', {local: true, reason: 'timeout'}, timedOut, `the gateway at ${URL} did not answer in time; showing the local log file instead`],
  ])('%s', (_name, fallback, error, expected) => {
    expect(fallbackNote(fallback, URL, error)).toBe(expected)
  })
})
