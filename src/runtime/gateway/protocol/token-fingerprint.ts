import {createHash} from 'node:crypto'

/**
 * A short, non-reversible name for a secret (`sha256:` + the first 8 hex digits of its SHA-256),
 * printed by the CLI and logged by the gateway so a token mismatch can be seen without printing
 * either token. 32 bits tell two tokens apart; they do not help guess one.
 */
export function tokenFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8)}`
}
