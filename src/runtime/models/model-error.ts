import {AppError} from '../errors/app-error.js'
import type {ErrorCode} from '../errors/codes.js'
import type {ModelErrorKind} from './provider.js'

/** What providers attach to a model AppError's `details` (runtime.md §8.4 classification input). */
export interface ModelErrorDetails {
  kind: ModelErrorKind
  /** HTTP status when the server answered. */
  status?: number
  /** From `retry-after-ms` / `retry-after` (seconds or HTTP date). */
  retryAfterMs?: number
  provider?: string
  model?: string
  url?: string
}

const CODE_BY_KIND: Partial<Record<ModelErrorKind, ErrorCode>> = {network: 'MODEL_UNREACHABLE', timeout: 'MODEL_TIMEOUT', aborted: 'MODEL_ABORTED'}

export function modelError(message: string, details: ModelErrorDetails, options: {hint?: string[]; cause?: unknown} = {}): AppError {
  return new AppError(CODE_BY_KIND[details.kind] ?? 'MODEL_REQUEST_FAILED', message, {details: {...details}, hint: options.hint, cause: options.cause})
}

/** The classification kind of any error thrown by a provider stream (unknown errors count as network). */
export function modelErrorKind(error: unknown): ModelErrorKind {
  if (error instanceof AppError && typeof error.details.kind === 'string') return error.details.kind as ModelErrorKind
  return 'network'
}

export function modelErrorDetails(error: unknown): Partial<ModelErrorDetails> {
  return error instanceof AppError ? (error.details as Partial<ModelErrorDetails>) : {}
}

const RATE_LIMIT = /rate[_ ]?limit|quota|resource[_ ]exhausted|too many requests/i
const OVERFLOW = /context_length_exceeded|maximum context length|prompt is too long|input is too long|request_too_large|context window/i
const NOT_FOUND = /model[_ ]not[_ ]found|does not exist|unknown model|no such model/i

/** Maps an HTTP error answer (status + body text) to a kind (runtime.md §8.4 table). */
export function kindForHttpError(status: number, body: string): ModelErrorKind {
  if (status === 429) return 'rate_limit'
  if ((status === 400 || status === 413) && OVERFLOW.test(body)) return 'context_overflow'
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'billing'
  if (status === 404 || NOT_FOUND.test(body)) return 'not_found'
  if (status === 529 || /overloaded_error/.test(body)) return 'overloaded'
  if ([408, 425, 500, 502, 503, 504].includes(status) || status > 500) return 'server'
  if (RATE_LIMIT.test(body)) return 'rate_limit'
  return 'bad_request'
}

/** Maps an error reported inside a stream (OpenAI `data: {error}`, Anthropic `event: error`) to a kind. */
export function kindForStreamError(type: string, message: string): ModelErrorKind {
  const text = `${type} ${message}`
  if (OVERFLOW.test(text)) return 'context_overflow'
  if (RATE_LIMIT.test(text)) return 'rate_limit'
  if (/overloaded/i.test(text)) return 'overloaded'
  if (/authentication|permission|invalid_api_key/i.test(text)) return 'auth'
  if (/invalid_request/i.test(text)) return 'bad_request'
  return 'server'
}

/** The human message out of a provider error body (`{error: {message}}` in both dialects), else the text itself. */
export function errorBodyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as {error?: {message?: unknown} | string; message?: unknown}
    if (typeof parsed.error === 'string') return parsed.error
    if (typeof parsed.error?.message === 'string') return parsed.error.message
    if (typeof parsed.message === 'string') return parsed.message
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 300) || '(empty body)'
}

/** `retry-after-ms` wins; `retry-after` is seconds or an HTTP date. Undefined when absent or unparseable. */
export function parseRetryAfter(header: (name: 'retry-after-ms' | 'retry-after') => string | undefined, now: number): number | undefined {
  const msValue = header('retry-after-ms')
  const ms = Number(msValue)
  if (msValue !== undefined && msValue.trim() !== '' && Number.isFinite(ms) && ms >= 0) return ms
  const value = header('retry-after')
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
