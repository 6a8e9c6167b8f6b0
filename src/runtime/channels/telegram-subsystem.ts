/**
 * The `telegram` gateway subsystem: one TelegramChannel for the gateway's life, feeding the agent
 * runner through `dispatchInbound`, its part of `health` (one snapshot per account), and live
 * config changes under `channels.telegram` (restart only the accounts whose settings changed, see
 * `TelegramChannel.reconfigure`).
 * grammY is loaded lazily at start, and only when a `channels.telegram` block exists.
 */
import {existsSync} from 'node:fs'

import type {Config} from '../config/schema/index.js'
import type {GatewaySubsystem, SubsystemContext} from '../gateway/lifecycle/subsystem.js'
import type {InboundEnvelope} from '../routing/envelope.js'
import {resolveRoute} from '../routing/resolve-route.js'
import {createFileSessionStore} from '../sessions/open-store.js'
import {sessionsDir} from '../sessions/paths.js'
import type {AccountSnapshot} from './adapter.js'
import {channelMethods} from './channel-methods.js'
import {modelsTakeImages} from './image-input.js'
import {pairingMethods} from './pairing-methods.js'
import type {ChannelRuntime} from './telegram/runtime-seam.js'
import type {TelegramChannel} from './telegram/telegram-channel.js'
import type {DeliverySession} from './telegram/outbound/delivery-session.js'
import type {DeliverySink} from '../agents/run/inbound.js'
import type {MessageOrigin} from '../sessions/store.js'

export interface TelegramSubsystemDeps {
  /** The agent runner's channel entry point (the agents subsystem's). */
  dispatchInbound: ChannelRuntime['dispatchInbound']
}

/** Looks for `dedupeKey` in the last 500 lines of the transcript the envelope routes to (telegram.md §4.4). */
async function isCommitted(ctx: SubsystemContext, envelope: InboundEnvelope): Promise<boolean> {
  const config = ctx.config()
  const route = resolveRoute(config, envelope)
  const store = createFileSessionStore(sessionsDir(ctx.paths, route.agentId, config.session.store), {agentId: route.agentId, cwd: ctx.paths.stateDir})
  try {
    const transcript = await store.readTranscript({sessionKey: route.sessionKey})
    return transcript.lines.slice(-500).some((line) => {
      const record = line as {origin?: {dedupeKeys?: string[]}; data?: {dedupeKey?: unknown; origin?: {dedupeKeys?: string[]}}}
      return record.origin?.dedupeKeys?.includes(envelope.dedupeKey) === true || record.data?.origin?.dedupeKeys?.includes(envelope.dedupeKey) === true || record.data?.dedupeKey === envelope.dedupeKey
    })
  } catch {
    return false
  }
}

/** Whether the routed agent's models (or the session's `/model` override) take images (image-input.ts). */
async function takesImages(ctx: SubsystemContext, envelope: InboundEnvelope): Promise<boolean> {
  const config = ctx.config()
  const route = resolveRoute(config, envelope)
  const dir = sessionsDir(ctx.paths, route.agentId, config.session.store)
  // A session that was never written has no override; reading its index would create the directory.
  const override = existsSync(dir) ? await createFileSessionStore(dir, {agentId: route.agentId, cwd: ctx.paths.stateDir}).get(route.sessionKey).then((entry) => entry?.modelOverride, () => undefined) : undefined
  return modelsTakeImages(config, route.agentId, override)
}

export interface TelegramSubsystem extends GatewaySubsystem {
  /**
   * A delivery sink for a reply to `origin` (restart replay hands replayed and unsent replies here
   * before the channel runs): calls wait until the subsystem started, then go through the account
   * the message came in on.
   */
  sinkFor(origin: MessageOrigin, resume?: {previewMessageId: string}): DeliverySink
}

export function telegramSubsystem(deps: TelegramSubsystemDeps): TelegramSubsystem {
  let channel: TelegramChannel | undefined
  let context: SubsystemContext | undefined
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  const open = async (ctx: SubsystemContext, config: Config) => {
    const {TelegramChannel} = await import('./telegram/telegram-channel.js')
    return new TelegramChannel({
      config, env: ctx.env, paths: ctx.paths,
      runtime: {dispatchInbound: deps.dispatchInbound, isCommitted: (envelope) => isCommitted(ctx, envelope), takesImages: (envelope) => takesImages(ctx, envelope)},
      logFor: (accountId) => ctx.logger.child(`telegram/${accountId}`),
      // An account that stops on its own (token rejected mid-run) or takes over a lock changes /ready.
      onAccountChange: () => void markFailing(),
    })
  }
  // Components marked unready, so an account that a reload removes does not stay failing forever.
  const failing = new Set<string>()
  const markFailing = async () => {
    for (const snapshot of (await channel?.status()) ?? []) {
      const component = `channel:telegram:${snapshot.accountId}`
      const isFailing = snapshot.enabled && !snapshot.running && snapshot.lastError !== null
      context?.setFailing(component, isFailing)
      if (isFailing) failing.add(component)
      else failing.delete(component)
    }
  }
  const clearFailing = () => {
    for (const component of failing) context?.setFailing(component, false)
    failing.clear()
  }
  return {
    id: 'telegram',
    configPrefixes: ['channels.telegram', 'messages', 'commands'],
    async start(ctx) {
      context = ctx
      try {
        if (ctx.config().channels.telegram === undefined) {
          ctx.logger.debug('no channels.telegram block: telegram not started')
          return
        }
        channel = await open(ctx, ctx.config())
        await channel.start()
        await markFailing()
      } finally {
        markStarted()
      }
    },
    sinkFor(origin, resume) {
      let session: Promise<DeliverySession | undefined> | undefined
      const get = () => (session ??= started.then(() => channel?.deliveryFor(origin, resume)))
      return {
        typing: () => void get().then((s) => s?.typing()),
        preview: (text) => void get().then((s) => s?.preview(text)),
        final: async (payload) => {
          const s = await get()
          if (s !== undefined) return s.final(payload)
          context?.logger.warn(`reply to telegram chat ${origin.peer?.id ?? '?'} not sent: account ${origin.accountId ?? 'default'} is not configured any more`)
          return 'failed'
        },
        error: async (message) => void (await (await get())?.error(message)),
        trackPreview: (record) => void get().then((s) => s?.trackPreview(record)),
      }
    },
    async stop() {
      await channel?.stop()
    },
    methods() {
      return [channelMethods(() => channel), pairingMethods({stateDir: () => context!.paths.stateDir, channel: () => channel})]
    },
    async health() {
      // Nothing to add without a channels.telegram block: the gateway's own `channels` part stays as it is.
      if (channel === undefined) return {}
      const accounts: AccountSnapshot[] = await channel.status()
      // channelOrder/channelLabels name it, so `health` and `status` list its accounts (an empty order lists none).
      return {channels: {telegram: {configured: accounts.length > 0, accounts: Object.fromEntries(accounts.map((a) => [a.accountId, a]))}}, channelOrder: ['telegram'], channelLabels: {telegram: 'Telegram'}}
    },
    async onConfig(next) {
      if (context === undefined) return
      if (next.channels.telegram === undefined) {
        await channel?.stop()
        channel = undefined
        clearFailing()
        return
      }
      if (channel === undefined) {
        channel = await open(context, next)
        await channel.start()
        return markFailing()
      }
      // Only the accounts whose settings changed restart; the others keep polling (telegram.md §3).
      const report = await channel.reconfigure(next)
      context.logger.info('telegram accounts reloaded', {...report})
      clearFailing()
      await markFailing()
    },
  }
}
