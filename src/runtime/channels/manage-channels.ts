import {AppError} from '../errors/app-error.js'
import type {ConfigOpsContext} from '../config/edit/edit-pipeline.js'
import {runConfigEdit} from '../config/edit/edit-pipeline.js'
import {loadConfig} from '../config/load.js'
import type {Config} from '../config/schema/index.js'
import type {ResolvedPaths} from '../paths.js'
import type {AccountSnapshot} from './adapter.js'
import {resolveTelegramAccounts, TOKEN_PATTERN, type TelegramAccount} from './telegram/accounts.js'
import {readTokenFile} from './telegram/token-file.js'

/**
 * The CLI's channel operations without a gateway (operations.md §2.3): list, add, local status.
 * grammY is only reached through lazy imports of `telegram/`, so `channels list` stays light.
 */

export interface ChannelsContext {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
}

export function loadValidConfig(ctx: ChannelsContext): Config {
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env})
  if (loaded.config === null) {
    throw new AppError('CONFIG_INVALID', `the config at ${ctx.paths.configPath} is invalid`, {hint: ['openclaw config validate'], details: {issues: loaded.issues}})
  }
  return loaded.config
}

export function telegramAccounts(ctx: ChannelsContext): TelegramAccount[] {
  return resolveTelegramAccounts(loadValidConfig(ctx), ctx.env, ctx.paths, readTokenFile)
}

export function listChannels(ctx: ChannelsContext) {
  const accounts = telegramAccounts(ctx).map((a) => ({
    accountId: a.accountId, name: a.settings.name ?? null, enabled: a.enabled, configured: a.tokenSource !== 'none', default: a.isDefault, tokenSource: a.tokenSource, dmPolicy: a.settings.dmPolicy,
  }))
  return {channels: accounts.length === 0 ? [] : [{channel: 'telegram', accounts}]}
}

export interface AddTelegramInput {
  token: string
  accountId: string
  name?: string
  verify: boolean
  force: boolean
  timeoutMs?: number
}

/** `channels add --channel telegram`: checks the token (format, then getMe when reachable), then writes config atomically. */
export async function addTelegramChannel(ctx: ConfigOpsContext, input: AddTelegramInput) {
  const token = input.token.trim()
  if (!TOKEN_PATTERN.test(token)) {
    throw new AppError('TELEGRAM_TOKEN_INVALID', 'that does not look like a bot token (expected <bot id digits>:<secret of letters, digits, _ or -> from @BotFather, e.g. 123456:ABC-def)', {hint: ['openclaw channels add --channel telegram --token <token from @BotFather>'], exitCode: 2})
  }
  const warnings: string[] = []
  const existing = telegramAccounts(ctx).find((a) => a.accountId === input.accountId)
  if (existing && existing.tokenSource !== 'none' && !input.force) {
    throw new AppError('CONFIG_EDIT_REFUSED', `telegram account "${input.accountId}" already has a token`, {hint: [`openclaw channels add --channel telegram --account ${input.accountId} --token <token> --force`]})
  }
  const config = loadConfig({paths: ctx.paths, env: ctx.env}).config
  const apiRoot = config?.channels.telegram?.apiRoot ?? 'https://api.telegram.org'
  let botUsername: string | null = null
  let verified = false
  if (input.verify) {
    const {verifyBotToken} = await import('./telegram/verify-token.js')
    const check = await verifyBotToken(token, apiRoot, input.timeoutMs ?? 10_000)
    if (check.ok) {
      botUsername = check.botUsername
      verified = true
    } else if (check.rejected) {
      throw new AppError('TELEGRAM_TOKEN_REJECTED', 'Telegram rejected the token (401); check it with @BotFather', {hint: ['openclaw channels add --channel telegram --token <token from @BotFather> --force']})
    } else warnings.push(`could not reach Telegram to check the token (${check.message}); saved it anyway`)
  }
  const run = await runConfigEdit(ctx, 'set', false, ({current}) => {
    const tree = structuredClone(current.topTree) as Record<string, Record<string, Record<string, unknown>>>
    const channels = (tree.channels ??= {})
    const telegram = (channels.telegram ??= {}) as Record<string, unknown> & {accounts?: Record<string, Record<string, unknown>>}
    const useTop = input.accountId === 'default' && telegram.accounts === undefined
    const target = useTop ? telegram : ((telegram.accounts ??= {})[input.accountId] ??= {})
    target.botToken = token
    delete target.tokenFile
    if (input.name !== undefined) target.name = input.name
    return tree
  })
  return {result: {channel: 'telegram', accountId: input.accountId, botUsername, verified}, warnings: [...warnings, ...run.warnings]}
}

/** Local `channels status`: config only, plus one getMe per account with `probe` (never polls). */
export async function localChannelsStatus(ctx: ChannelsContext, options: {probe: boolean; timeoutMs: number}): Promise<{source: 'local'; channels: AccountSnapshot[]}> {
  const {TelegramChannel} = await import('./telegram/telegram-channel.js')
  const channel = new TelegramChannel({
    config: loadValidConfig(ctx), env: ctx.env, paths: ctx.paths,
    runtime: {dispatchInbound: async () => { throw new Error('not running') }, isCommitted: async () => false},
    logFor: () => ({debug() {}, info() {}, warn() {}, error() {}}),
  })
  return {source: 'local', channels: await channel.status({probe: options.probe, timeoutMs: options.timeoutMs})}
}
