import {AppError} from '../errors/app-error.js'
import type {ClientContext} from './gateway-or-local.js'
import {telegramAccounts, type ChannelsContext} from './manage-channels.js'
import {PAIRING_TTL_MS, PairingStore, type PairingRequest} from './telegram/pairing-store.js'

/**
 * `openclaw pairing list|approve` on the local files (telegram.md §6.4), under the store's lock,
 * and the steps the gateway's `channels.pairing.*` RPCs share with them (pairing-methods.ts).
 */

export function checkChannel(channel: string | undefined): void {
  if (channel !== undefined && channel.trim().toLowerCase() !== 'telegram') {
    throw new AppError('USAGE', `unknown channel "${channel}": only telegram supports pairing`, {hint: ['openclaw pairing list telegram']})
  }
}

export function listPairing(ctx: ChannelsContext, input: {channel?: string; accountId?: string}) {
  checkChannel(input.channel)
  const store = new PairingStore(ctx.paths.stateDir)
  const requests = store.list(input.accountId).map((r) => ({
    code: r.code, userId: r.id, username: r.meta.username ?? null, firstName: r.meta.firstName ?? null, lastName: r.meta.lastName ?? null,
    accountId: r.accountId, createdAt: r.createdAt, expiresAt: new Date(Date.parse(r.createdAt) + PAIRING_TTL_MS).toISOString(),
  }))
  return {channel: 'telegram', requests}
}

export const APPROVED_NOTICE = '✅ OpenClaw access approved. You can chat with me now.'

/**
 * Approves a code in `store` and, with `notify`, DMs the user through `send` (the CLI: the Bot API
 * directly; the gateway: the running account). A failed notice is a warning: the approval stands.
 */
export async function approveWithNotice(store: PairingStore, input: {code: string; accountId?: string}, send: ((request: PairingRequest) => Promise<void>) | null): Promise<{request: PairingRequest; notified: boolean; warnings: string[]}> {
  const request = await store.approve(input.code, input.accountId)
  if (send === null) return {request, notified: false, warnings: []}
  try {
    await send(request)
    return {request, notified: true, warnings: []}
  } catch (error) {
    return {request, notified: false, warnings: [`approved, but the notice could not be sent: ${(error as Error).message}`]}
  }
}

export async function approvePairing(ctx: ChannelsContext, input: {channel: string; code: string; accountId?: string; notify: boolean}) {
  checkChannel(input.channel)
  const direct = async (request: PairingRequest) => {
    const account = telegramAccounts(ctx).find((a) => a.accountId === request.accountId)
    if (!account?.token) throw new Error(`account ${request.accountId} has no bot token to send the notice with`)
    const {sendPlainDirect} = await import('./telegram/verify-token.js')
    await sendPlainDirect(account.token, account.settings.apiRoot, request.id, APPROVED_NOTICE)
  }
  const {request, notified, warnings} = await approveWithNotice(new PairingStore(ctx.paths.stateDir), input, input.notify ? direct : null)
  return {result: {channel: 'telegram', accountId: request.accountId, userId: request.id, notified}, line: approvedLine(request), warnings}
}

function approvedLine(request: Pick<PairingRequest, 'id' | 'accountId' | 'meta'>): string {
  const who = request.meta.username ? `${request.id} (@${request.meta.username})` : request.id
  return `Approved ${who} for telegram account ${request.accountId}.`
}

/**
 * `pairing approve --notify` (telegram.md §6.4): through the running gateway
 * (`channels.pairing.approve`), so the notice leaves through the bot that polls; with no gateway
 * at the default target, the local files and a direct Bot API call, with a warning.
 */
export async function approvePairingNotify(ctx: ClientContext, input: {channel: string; code: string; accountId?: string}) {
  checkChannel(input.channel)
  const {gatewayOrLocal} = await import('./gateway-or-local.js')
  type Approved = {id: string; accountId: string; notified: boolean; meta?: PairingRequest['meta']; warnings?: string[]}
  let local: Awaited<ReturnType<typeof approvePairing>> | undefined
  const got = await gatewayOrLocal<Approved>(ctx, 'channels.pairing.approve', {channel: 'telegram', code: input.code, notify: true, ...(input.accountId ? {accountId: input.accountId} : {})}, async () => {
    local = await approvePairing(ctx, {...input, notify: true})
    return {id: local.result.userId, accountId: local.result.accountId, notified: local.result.notified}
  })
  if (local !== undefined) return {...local, warnings: [...got.warnings, 'no gateway is running: approved in the local files and sent the notice directly', ...local.warnings]}
  const approved = got.value
  return {
    result: {channel: 'telegram', accountId: approved.accountId, userId: approved.id, notified: approved.notified},
    line: approvedLine({id: approved.id, accountId: approved.accountId, meta: approved.meta ?? {}}),
    warnings: [...got.warnings, ...(approved.warnings ?? [])],
  }
}
