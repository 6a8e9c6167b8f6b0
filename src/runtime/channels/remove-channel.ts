/**
 * `channels remove` (operations.md §2.3): drops one Telegram account from the config atomically; a
 * running gateway stops it on the config reload. With `deleteCredentials`, the account's approved
 * senders and pending pairing requests move to `backups/` (never deleted outright).
 */
import path from 'node:path'

import type {ConfigOpsContext} from '../config/edit/edit-pipeline.js'
import {runConfigEdit} from '../config/edit/edit-pipeline.js'
import {AppError} from '../errors/app-error.js'
import {stateFiles} from '../paths.js'
import {telegramAccounts} from './manage-channels.js'

export interface RemoveTelegramInput {
  accountId: string
  deleteCredentials: boolean
}

const TOKEN_KEYS = ['botToken', 'tokenFile', 'name', 'enabled'] as const

export async function removeTelegramChannel(ctx: ConfigOpsContext, input: RemoveTelegramInput) {
  const account = telegramAccounts(ctx).find((a) => a.accountId === input.accountId)
  if (account === undefined) {
    throw new AppError('CHANNEL_ACCOUNT_NOT_FOUND', `no telegram account "${input.accountId}"`, {hint: ['openclaw channels list']})
  }
  const warnings: string[] = []
  const run = await runConfigEdit(ctx, 'unset', false, ({current}) => {
    const tree = structuredClone(current.topTree) as {channels?: {telegram?: Record<string, unknown> & {accounts?: Record<string, unknown>; defaultAccount?: string}}}
    const telegram = tree.channels?.telegram
    if (telegram === undefined) return tree
    if (telegram.accounts?.[input.accountId] !== undefined) {
      delete telegram.accounts[input.accountId]
      if (Object.keys(telegram.accounts).length === 0) delete telegram.accounts
    } else {
      // The top-level (default) account: only its token and identity go; shared settings such as apiRoot or dmPolicy stay for other accounts.
      for (const key of TOKEN_KEYS) delete telegram[key]
    }
    if (telegram.defaultAccount === input.accountId) delete telegram.defaultAccount
    // Nothing left but an empty block: drop it, so no token-less default account lingers in `channels list`.
    if (Object.keys(telegram).length === 0) delete tree.channels!.telegram
    return tree
  })
  if (account.tokenSource === 'env') warnings.push('TELEGRAM_BOT_TOKEN is still set in the environment: the default account comes back while it is; unset TELEGRAM_BOT_TOKEN')
  let credentialsMovedTo: string | null = null
  if (input.deleteCredentials) {
    const {PairingStore} = await import('./telegram/pairing-store.js')
    const stamp = (ctx.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')
    const dir = path.join(stateFiles(ctx.paths.stateDir).backupsDir, `telegram-${input.accountId}-${stamp}`)
    const moved = await new PairingStore(ctx.paths.stateDir).moveAccountTo(dir, input.accountId, account.isDefault)
    credentialsMovedTo = moved.length > 0 ? dir : null
  }
  return {result: {channel: 'telegram', accountId: input.accountId, credentialsMovedTo}, warnings: [...warnings, ...run.warnings]}
}
