import {randomUUID} from 'node:crypto'

import JSON5 from 'json5'

import {AppError} from '../../errors/app-error.js'
import {IDEMPOTENT_METHODS} from './scopes.js'

/**
 * `gateway call`'s params (operations.md §2.1): `--params` parsed as JSON5 (a parse failure is
 * USAGE, exit 2), then `idempotencyKey` set from `--idempotency-key`, or generated (a fresh UUID)
 * for `agent`, `send` and `chat.send` when absent (protocol §8).
 */
export function buildCallParams(method: string, raw: string, idempotencyKey?: string): unknown {
  let params: unknown
  try {
    params = JSON5.parse(raw)
  } catch (error) {
    throw new AppError('USAGE', `invalid --params: ${(error as Error).message}`, {hint: [`openclaw gateway call ${method} --params '{"key": "value"}'`]})
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    if (idempotencyKey === undefined) return params
    throw new AppError('USAGE', '--idempotency-key needs --params to be an object', {hint: [`openclaw gateway call ${method} --params '{}' --idempotency-key <key>`]})
  }
  const object = params as Record<string, unknown>
  if (idempotencyKey !== undefined) return {...object, idempotencyKey}
  if (IDEMPOTENT_METHODS.has(method) && object.idempotencyKey === undefined) return {...object, idempotencyKey: randomUUID()}
  return object
}
