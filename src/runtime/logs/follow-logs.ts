/**
 * `openclaw logs --follow` (operations.md §7): poll `logs.tail` with the returned cursor, report
 * rotation, and survive gateway restarts by reconnecting with a bounded backoff. An async
 * iterator of events, so the command only renders.
 */
import {setTimeout as delay} from 'node:timers/promises'

import {isAppError} from '../errors/app-error.js'
import type {LogTail, ParsedLogLine} from '../logging/read-tail.js'
import {openLogs, selectLines, type LogsRequest} from './open-logs.js'
import type {LogsSource, TailReader} from './tail-reader.js'

/** One JSON Line of `logs --follow --json`, minus the fatal `error` line the command adds. */
export type LogsEvent =
  | {type: 'meta'; source: LogsSource; file: string; cursor: number}
  | ({type: 'log'} & ParsedLogLine)
  | {type: 'notice'; message: string}

/** Fixed notice texts (operations.md §7). */
export const LOGS_NOTICES = {
  rotated: 'log file rotated; continuing with the new file',
  truncated: 'Log tail truncated (increase --limit or --max-bytes).',
  reconnected: 'reconnected to the gateway',
} as const

export interface FollowOptions {
  /** Wait between polls, ms (`--interval`, default 1000). */
  intervalMs: number
  /** Ends the follow (Ctrl-C): the iterator returns normally. */
  signal: AbortSignal
  /** Reconnect backoff, ms: doubles from `initialMs` up to `maxMs` (default 1000 → 10000). */
  backoff?: {initialMs: number; maxMs: number}
}

const ABORTED: unique symbol = Symbol('aborted')

/**
 * Yields `meta`, then the tail's `log` lines, then new lines every `intervalMs` until the signal
 * aborts. Rotation or a new day yields the `rotated` notice; a lost gateway connection yields a
 * notice and is retried until it comes back (auth or protocol errors end the follow by throwing).
 * Throws as `openLogs` before the first event.
 */
export async function* followLogs(request: LogsRequest, options: FollowOptions): AsyncGenerator<LogsEvent, void> {
  const {signal} = options
  const opened = await abortable(openLogs({...request, follow: true}), signal, (late) => late.reader.close())
  if (opened === ABORTED) return
  let reader = opened.reader
  try {
    const first = opened.first
    yield {type: 'meta', source: reader.source, file: first.file, cursor: first.cursor}
    for (const message of opened.warnings) yield {type: 'notice', message}
    yield* answerEvents(first, request, false)
    let cursor = first.cursor
    let file = first.file
    while (await sleep(options.intervalMs, signal)) {
      let next: LogTail | typeof ABORTED
      try {
        next = await abortable(reader.tail(cursor), signal)
        // A new connection has no previous answer to compare with: catch a new day's file here.
        if (next !== ABORTED && next.file !== file && next.reset !== true) next = {...(await reader.tail()), reset: true}
      } catch (error) {
        if (reader.source !== 'gateway' || opened.reopen === undefined || !isTransient(error)) throw error
        reader.close()
        const fresh = yield* reconnect(opened.reopen, error, options)
        if (fresh === undefined) return
        reader = fresh
        continue
      }
      if (next === ABORTED) return
      yield* answerEvents(next, request, true)
      cursor = next.cursor
      file = next.file
    }
  } finally {
    reader.close()
  }
}

function* answerEvents(tail: LogTail, request: LogsRequest, polling: boolean): Generator<LogsEvent> {
  if (polling && tail.reset === true) yield {type: 'notice', message: LOGS_NOTICES.rotated}
  // Only skipped bytes are news; the last --limit lines of a longer file is simply a tail.
  if ((tail.skippedBytes ?? 0) > 0) yield {type: 'notice', message: LOGS_NOTICES.truncated}
  for (const line of selectLines(tail.lines, request.minLevel)) yield {type: 'log', ...line}
}

/** Reopens the gateway reader with backoff; undefined when the signal aborted first. */
async function* reconnect(reopen: () => Promise<TailReader>, cause: unknown, options: FollowOptions): AsyncGenerator<LogsEvent, TailReader | undefined> {
  const {initialMs, maxMs} = options.backoff ?? {initialMs: 1000, maxMs: 10_000}
  let wait = initialMs
  yield {type: 'notice', message: `lost the gateway connection (${messageOf(cause)}); reconnecting in ${seconds(wait)}`}
  while (await sleep(wait, options.signal)) {
    try {
      const reader = await abortable(reopen(), options.signal, (late) => late.close())
      if (reader === ABORTED) return undefined
      yield {type: 'notice', message: LOGS_NOTICES.reconnected}
      return reader
    } catch (error) {
      if (!isTransient(error)) throw error
      wait = Math.min(wait * 2, maxMs)
      yield {type: 'notice', message: `gateway still unreachable (${messageOf(error)}); retrying in ${seconds(wait)}`}
    }
  }
  return undefined
}

/** Connection-level failures worth a reconnect; refusals and protocol gaps are not. */
function isTransient(error: unknown): boolean {
  if (!isAppError(error)) return false
  if (error.code === 'GATEWAY_CLOSED' || error.code === 'GATEWAY_UNREACHABLE' || error.code === 'GATEWAY_TIMEOUT') return true
  return error.code === 'GATEWAY_REQUEST_FAILED' && error.details.retryable === true
}

/** False when the signal aborted before `ms` passed. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  try {
    await delay(ms, undefined, {signal})
    return true
  } catch {
    return false
  }
}

/**
 * Settles with `promise`, or with ABORTED as soon as the signal aborts; a late result goes to
 * `discard` and a late rejection is swallowed (the follow is over, nobody is listening).
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, discard?: (late: T) => void): Promise<T | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      promise.then((late) => discard?.(late), () => undefined)
      resolve(ABORTED)
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, {once: true})
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`
}
