import {startEchoModel, startFakeModel, type EchoModel, type FakeModel} from '../fakes/model-server/index.js'
import {startFakeTelegram, type FakeBotInfo, type FakeTelegram} from '../fakes/telegram-api/index.js'
import {freePort, makeGatewayHome, spawnGateway, waitForHealth, type GatewayHome, type GatewayProcess} from './gateway-process.js'

/** What the Telegram e2e files build before their first message: the fakes, a home configured for them, and a way to run the gateway in it. */
export interface TelegramGatewayFixture<M = FakeModel> {
  telegram: FakeTelegram
  model: M
  home: GatewayHome
  /** The gateway port the config names (free when the fixture was made). */
  port: number
  /** `gateway run --allow-unconfigured` with OPENCLAW_OFFLINE=1 (plus `env`), not awaited; killed at cleanup. */
  spawn(env?: NodeJS.ProcessEnv): GatewayProcess
  /** `spawn`, then /health answering and the bots' first getUpdates (`poll: false` skips that wait). */
  start(options?: {env?: NodeJS.ProcessEnv; timeoutMs?: number; poll?: boolean}): Promise<GatewayProcess>
}

export interface TelegramGatewayOptions<M = FakeModel> {
  bots: FakeBotInfo[]
  /** `channels.telegram` keys besides `apiRoot` and `botToken` (the first bot's token). */
  telegram?: Record<string, unknown>
  /**
   * Top-level config keys, each replacing the default of that name: `gateway` (the port, token
   * `gw-token`), `models` (provider `fake` on the fake model, model `m`, text only), `agents`
   * (default model `fake/m`). A function gets the fake model for its base URLs.
   */
  config?: Record<string, unknown> | ((fakes: {model: M; telegram: FakeTelegram; port: number}) => Record<string, unknown>)
  /** Close the fake model with its checks (no step left unused, no unscripted request) instead of destroying it. */
  strictModel?: boolean
}

/**
 * Starts the fake Bot API and the model (the scripted fake, or with `echo` the echo model that
 * answers any number of requests) and writes a temp home for them; every part is torn down
 * through `cleanups`.
 */
export async function telegramGatewayFixture(cleanups: Array<() => unknown>, options: TelegramGatewayOptions): Promise<TelegramGatewayFixture>
export async function telegramGatewayFixture(cleanups: Array<() => unknown>, options: TelegramGatewayOptions<EchoModel> & {echo: {delayMs?: number}}): Promise<TelegramGatewayFixture<EchoModel>>
export async function telegramGatewayFixture(cleanups: Array<() => unknown>, options: TelegramGatewayOptions<FakeModel & EchoModel> & {echo?: {delayMs?: number}}): Promise<TelegramGatewayFixture<FakeModel | EchoModel>> {
  const telegram = await startFakeTelegram({bots: options.bots})
  cleanups.push(() => telegram.close())
  const model = options.echo === undefined ? await startFakeModel() : await startEchoModel(options.echo)
  cleanups.push(() => ('destroy' in model && options.strictModel !== true ? model.destroy() : model.close()))
  const port = await freePort()
  const extra = typeof options.config === 'function' ? options.config({model: model as FakeModel & EchoModel, telegram, port}) : options.config ?? {}
  const home = makeGatewayHome({
    gateway: {port, auth: {token: 'gw-token'}},
    models: {mode: 'replace', providers: {fake: {baseUrl: model.openaiBaseUrl, apiKey: 'test', models: [{id: 'm', name: 'M', input: ['text']}]}}},
    agents: {defaults: {model: 'fake/m'}},
    ...extra,
    channels: {telegram: {apiRoot: telegram.apiRoot, botToken: options.bots[0].token, ...options.telegram}},
  })
  cleanups.push(() => home.cleanup())
  const spawn = (env: NodeJS.ProcessEnv = {}) => {
    const gateway = spawnGateway(['gateway', 'run', '--allow-unconfigured'], {...home.env, OPENCLAW_OFFLINE: '1', ...env})
    cleanups.push(() => gateway.kill())
    return gateway
  }
  return {
    telegram, model, home, port, spawn,
    async start({env, timeoutMs = 30_000, poll = true} = {}) {
      const gateway = spawn(env)
      await waitForHealth(port, {proc: gateway, timeoutMs})
      if (poll) await telegram.waitFor('getUpdates', () => true, timeoutMs)
      return gateway
    },
  }
}
