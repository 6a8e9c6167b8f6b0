/**
 * AppError → wire error (protocol.md §2.2), in one place: handlers call runtime functions and let
 * their AppErrors through; dispatch maps them here. `details.code` carries our code so clients
 * can branch on it; the CLI shows our hint text beside it.
 */
import type {AppError} from '../../errors/app-error.js'
import type {ErrorCode} from '../../errors/codes.js'
import type {ErrorShape, GatewayErrorCode} from '../protocol/frames.js'

interface WireRule {
  code: GatewayErrorCode
  /** Set for conditions that clear by themselves: the error is retryable after this long. */
  retryAfterMs?: number
}

/** Codes that are not the caller's fault; everything else is INVALID_REQUEST. */
const RULES: Partial<Record<ErrorCode, WireRule>> = {
  INTERNAL: {code: 'UNAVAILABLE'},
  CONFIG_LOCKED: {code: 'UNAVAILABLE', retryAfterMs: 1000},
  STATE_LOCKED: {code: 'UNAVAILABLE', retryAfterMs: 1000},
  CONFIG_READ_FAILED: {code: 'UNAVAILABLE'},
  CONFIG_WRITE_FAILED: {code: 'UNAVAILABLE'},
  LOG_FILE_MISSING: {code: 'UNAVAILABLE'},
  LOG_FILE_UNREADABLE: {code: 'UNAVAILABLE'},
  LOG_FILE_UNWRITABLE: {code: 'UNAVAILABLE'},
  EXEC_APPROVAL_UNKNOWN: {code: 'APPROVAL_NOT_FOUND'},
}

/** The wire code for one of our codes (exported for the table test). */
export function wireRuleFor(code: ErrorCode): WireRule {
  return RULES[code] ?? (code.startsWith('GATEWAY_') ? {code: 'UNAVAILABLE'} : {code: 'INVALID_REQUEST'})
}

/** The ErrorShape of an AppError thrown by a handler. */
export function appErrorShape(error: AppError): ErrorShape {
  const rule = wireRuleFor(error.code)
  const shape: ErrorShape = {code: rule.code, message: error.message, details: {code: error.code, ...(error.hint.length > 0 ? {hint: error.hint} : {})}}
  if (rule.retryAfterMs !== undefined) {
    shape.retryable = true
    shape.retryAfterMs = rule.retryAfterMs
  }
  return shape
}
