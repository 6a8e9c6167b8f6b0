/**
 * `logs.tail` (protocol.md §6.2, §6.4): complete JSONL lines of the gateway's file log by byte
 * cursor. The reading itself is `readLogTail`; this file adds the params, the scope and the
 * per-connection memory of the previous answer's file (a changed name means day rollover).
 */
import {z} from 'zod'

import {readLogTail, type LogTail} from '../../logging/read-tail.js'
import {MethodError} from '../server/method-error.js'
import {defineMethod} from '../server/registry.js'

/** Defaults and bounds of protocol §6.2. */
export const LOGS_TAIL_LIMITS = {defaultLimit: 500, maxLimit: 5000, defaultMaxBytes: 250_000, maxMaxBytes: 1_000_000} as const

/** Where a connection's previous answer came from (`methodState` key), to spot a rotated or new day's file. */
const PREVIOUS_FILE = 'logs.tail.previousFile'

const LogsTailParams = z.object({
  cursor: z.int().min(0).optional(),
  limit: z.int().min(1).max(LOGS_TAIL_LIMITS.maxLimit).optional(),
  maxBytes: z.int().min(1).max(LOGS_TAIL_LIMITS.maxMaxBytes).optional(),
})

export const logsMethods = [
  defineMethod({
    name: 'logs.tail',
    scope: 'operator.read',
    params: LogsTailParams,
    handler: async (params, ctx): Promise<LogTail> => {
      const file = ctx.gateway.logFile?.() ?? null
      if (file === null) throw new MethodError('UNAVAILABLE', 'logs.tail unavailable: this gateway keeps no file log')
      // An AppError from the reader (missing or unreadable file) is mapped to the wire by dispatch.
      const tail = await readLogTail({
        file,
        cursor: params.cursor,
        limit: params.limit ?? LOGS_TAIL_LIMITS.defaultLimit,
        maxBytes: params.maxBytes ?? LOGS_TAIL_LIMITS.defaultMaxBytes,
        previousFile: ctx.conn.methodState.get(PREVIOUS_FILE) as string | undefined,
      })
      ctx.conn.methodState.set(PREVIOUS_FILE, tail.file)
      return tail
    },
  }),
]
