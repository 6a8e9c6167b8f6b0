/**
 * A channel delivery sink without a running gateway (`agent --local --deliver`, or the embedded
 * fallback): the reply goes straight to the Bot API through the same delivery record a channel
 * reply uses (HTML, chunking, exactly-once final), as `message send` does locally. No poller starts.
 */
import type {Config} from '../config/schema/index.js'
import type {DeliverySink} from '../agents/run/inbound.js'
import type {ResolvedPaths} from '../paths.js'
import type {MessageOrigin} from '../sessions/store.js'

export interface LocalSink {
  /** Undefined when the origin's account has no usable token (the delivery is reported as not made). */
  sink: DeliverySink | undefined
  /** What the channel logged at warn or above while sending (a plain-text resend, an uncertain send). */
  warnings: string[]
}

export async function localDeliverySink(ctx: {config: Readonly<Config>; env: NodeJS.ProcessEnv; paths: ResolvedPaths}, origin: MessageOrigin): Promise<LocalSink> {
  if (origin.channel !== 'telegram') return {sink: undefined, warnings: [`no local delivery for channel ${origin.channel}`]}
  const {TelegramChannel} = await import('./telegram/telegram-channel.js')
  const warnings: string[] = []
  const note = (message: string) => void warnings.push(`telegram: ${message}`)
  const channel = new TelegramChannel({
    config: ctx.config, env: ctx.env, paths: ctx.paths,
    runtime: {dispatchInbound: async () => { throw new Error('not running') }, isCommitted: async () => false},
    logFor: () => ({debug() {}, info() {}, warn: note, error: note}),
  })
  const session = channel.deliveryFor(origin)
  if (session === undefined) warnings.push(`telegram account ${origin.accountId ?? 'default'} has no usable bot token: reply not delivered (check: openclaw channels status --probe)`)
  return {sink: session, warnings}
}
