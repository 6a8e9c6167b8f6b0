import {createHash} from 'node:crypto'

import type {Config} from '../../config/schema/index.js'
import {envValue, resolveStatePath, type Env, type ResolvedPaths} from '../../paths.js'

export type TelegramConfig = NonNullable<Config['channels']['telegram']>
/** One account's effective settings: the top-level keys with the account's own keys over them. */
export type TelegramAccountSettings = Omit<TelegramConfig, 'accounts' | 'defaultAccount'>

export type TokenSource = 'config' | 'file' | 'env' | 'none'

/** A Telegram account after telegram.md §2: settings, token and why it may not start. */
export interface TelegramAccount {
  accountId: string
  isDefault: boolean
  settings: TelegramAccountSettings
  enabled: boolean
  token: string | null
  tokenSource: TokenSource
  /** The digits before `:`; null without a valid token. */
  botId: string | null
  /** First 16 hex chars of the token's SHA-256: names the token lock and never reveals the token. */
  tokenHash: string | null
  /** Why this account cannot start, before any network call (invalid token, duplicate, proxy). */
  startError: {code: 'TELEGRAM_TOKEN_INVALID' | 'TELEGRAM_PROXY_UNSUPPORTED'; message: string} | null
  /** Non-fatal notes (a group/world-readable token file). */
  warnings: string[]
}

/**
 * `<bot id digits>:<secret>`. Real @BotFather secrets are 35 characters, but issue 10 (and local Bot API
 * servers in tests) use short ones like `123:abc`, so only the shape is checked, not the length.
 */
export const TOKEN_PATTERN = /^(\d+):[A-Za-z0-9_-]+$/

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16)
}

export interface TokenFileReader {
  /** Returns the file's text and mode, or throws an Error whose message says what is wrong. */
  (file: string): {text: string; mode: number}
}

/**
 * Resolves the account set (telegram.md §2). Pure apart from `readTokenFile`, which is called
 * for accounts with `tokenFile` (at every start, so a rotated token is picked up).
 */
export function resolveTelegramAccounts(config: Readonly<Config>, env: Env, paths: Pick<ResolvedPaths, 'home' | 'stateDir'>, readTokenFile: TokenFileReader): TelegramAccount[] {
  const telegram = config.channels.telegram
  if (telegram === undefined) return []
  const {accounts = {}, defaultAccount, ...top} = telegram
  const ids = Object.keys(accounts)
  const topHasToken = top.botToken !== undefined || top.tokenFile !== undefined
  if ((topHasToken || ids.length === 0) && !ids.includes('default')) ids.unshift('default')
  const defaultId = defaultAccount ?? (ids.includes('default') ? 'default' : ids[0])
  const seenBots = new Map<string, string>()
  return ids.map((accountId) => {
    const own = (accounts as Record<string, Partial<TelegramAccountSettings>>)[accountId] ?? {}
    const settings = {...top, ...definedOnly(own)} as TelegramAccountSettings
    const warnings: string[] = []
    let token: string | null = null
    let tokenSource: TokenSource = 'none'
    let startError: TelegramAccount['startError'] = null
    const ownToken = own.botToken !== undefined || own.tokenFile !== undefined
    const tokenKeys = ownToken ? own : accountId === 'default' ? top : {}
    if (tokenKeys.botToken !== undefined) {
      token = tokenKeys.botToken.trim()
      tokenSource = 'config'
    } else if (tokenKeys.tokenFile !== undefined) {
      tokenSource = 'file'
      const file = resolveStatePath(tokenKeys.tokenFile, paths)
      try {
        const read = readTokenFile(file)
        token = read.text.trim()
        if ((read.mode & 0o077) !== 0) warnings.push(`token file ${file} is readable by group or others; run: openclaw doctor --fix (sets it to 0600)`)
      } catch (error) {
        startError = {code: 'TELEGRAM_TOKEN_INVALID', message: `cannot read tokenFile ${file}: ${(error as Error).message}`}
      }
    } else if (accountId === defaultId && envValue(env, 'TELEGRAM_BOT_TOKEN') !== undefined) {
      token = envValue(env, 'TELEGRAM_BOT_TOKEN')!.trim()
      tokenSource = 'env'
    }
    const match = token === null ? null : TOKEN_PATTERN.exec(token)
    if (token !== null && match === null && startError === null) {
      startError = {code: 'TELEGRAM_TOKEN_INVALID', message: `the bot token of account "${accountId}" is malformed (expected <digits>:<letters, digits, _ or ->)`}
    }
    const botId = match?.[1] ?? null
    if (botId !== null && startError === null) {
      const earlier = seenBots.get(botId)
      if (earlier !== undefined) startError = {code: 'TELEGRAM_TOKEN_INVALID', message: `same bot token as account ${earlier}`}
      else seenBots.set(botId, accountId)
    }
    if (settings.proxy !== undefined && startError === null) {
      startError = {code: 'TELEGRAM_PROXY_UNSUPPORTED', message: `account "${accountId}" sets proxy, which is not supported yet; remove it or route traffic at the OS level`}
    }
    return {
      accountId,
      isDefault: accountId === defaultId,
      settings,
      enabled: telegram.enabled !== false && own.enabled !== false,
      token: match ? token : null,
      tokenSource,
      botId,
      tokenHash: match ? tokenHash(token!) : null,
      startError,
      warnings,
    }
  })
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
