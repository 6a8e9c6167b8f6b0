import {accessSync, constants} from 'node:fs'

import {isPlainObject} from '../../config/deep-merge.js'
import {resolveStatePath} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'

export const channelsTelegramCheck: DoctorCheck = {
  id: 'channels.telegram',
  title: 'Telegram',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    const channels = ctx.config().authored?.channels
    const telegram = isPlainObject(channels) ? channels.telegram : undefined
    if (!isPlainObject(telegram)) return {status: 'skip', message: 'skipped: Telegram is not configured'}
    const accounts: Array<[string, Record<string, unknown>]> = isPlainObject(telegram.accounts)
      ? Object.entries(telegram.accounts).filter((e): e is [string, Record<string, unknown>] => isPlainObject(e[1]))
      : [['default', telegram]]
    const failures: string[] = []
    const warnings: string[] = []
    for (const [id, account] of accounts) {
      if (account.enabled === false || telegram.enabled === false) continue
      const token = account.botToken ?? (id === 'default' ? telegram.botToken : undefined)
      const tokenFile = account.tokenFile
      if (typeof tokenFile === 'string') {
        try {
          accessSync(resolveStatePath(tokenFile, ctx.paths), constants.R_OK)
        } catch {
          failures.push(`${id}: tokenFile ${tokenFile} is not readable`)
        }
      } else if (token === undefined && !(id === 'default' && ctx.env.TELEGRAM_BOT_TOKEN)) failures.push(`${id}: enabled without a bot token`)
      if ((account.dmPolicy ?? telegram.dmPolicy) === 'open') warnings.push(`${id}: dmPolicy is open (anyone can talk to the bot)`)
    }
    if (accounts.length > 1 && telegram.defaultAccount === undefined) warnings.push('several accounts and no defaultAccount')
    if (failures.length > 0) return {status: 'fail', message: failures.join('; '), fix: {summary: 'set the token: openclaw config set channels.telegram.botToken <token>', safe: false}}
    if (warnings.length > 0) return {status: 'warn', message: warnings.join('; ')}
    return {status: 'pass', message: `${accounts.length} account${accounts.length === 1 ? '' : 's'} configured`}
  },
}
