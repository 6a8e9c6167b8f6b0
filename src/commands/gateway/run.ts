import {Flags} from '@oclif/core'

import {CLI_DEV_FLAG_ENV} from '../../runtime/paths.js'
import {BaseCommand, type Outcome} from '../base-command.js'

export default class GatewayRun extends BaseCommand {
  static override summary = 'Run the gateway in the foreground'
  static override description =
    'Starts the WebSocket + HTTP gateway on one port (127.0.0.1:18789 by default) and runs until SIGTERM or Ctrl-C, which drain it. ' +
    'SIGHUP re-reads <state>/.env (logging which variables changed) and the config, SIGUSR1 restarts in process. Exit 78 means a configuration problem a restart cannot fix. `openclaw gateway` alone means this command.'

  static override examples = [
    '<%= config.bin %> gateway run',
    '<%= config.bin %> gateway --token "$OPENCLAW_GATEWAY_TOKEN" --allow-unconfigured',
    '<%= config.bin %> gateway run --bind lan --port 18790 --verbose',
  ]

  static override supportsJson = false
  static override flags = {
    port: Flags.integer({description: 'Port for WebSocket + HTTP (beats OPENCLAW_GATEWAY_PORT and gateway.port)', min: 1, max: 65_535}),
    bind: Flags.string({description: 'Listen address: loopback, lan (0.0.0.0), custom (gateway.customBindHost) or auto', options: ['loopback', 'lan', 'custom', 'auto']}),
    auth: Flags.string({description: 'Client auth mode', options: ['token', 'password', 'none']}),
    token: Flags.string({description: 'Gateway token (beats gateway.auth.token and OPENCLAW_GATEWAY_TOKEN)'}),
    password: Flags.string({description: 'Gateway password (beats gateway.auth.password and OPENCLAW_GATEWAY_PASSWORD)'}),
    'allow-unconfigured': Flags.boolean({description: 'Start without gateway.mode=local in the config (or without any config)'}),
    force: Flags.boolean({description: 'Stop a gateway holding this state dir (SIGTERM, then wait for its drain) and take over'}),
    verbose: Flags.boolean({description: 'Log at debug level on stderr'}),
    'drain-timeout': Flags.integer({description: 'Seconds in-flight work gets to finish on stop', default: 30, min: 0}),
    dev: Flags.boolean({description: 'Dev profile (~/.openclaw-dev, port 19001); creates a missing dev config with a fresh token', helpGroup: 'GLOBAL'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(GatewayRun)
    const {paths, env, stateDotenvKeys} = this.context()
    const isTTY = Boolean(process.stderr.isTTY)
    const {runGateway} = await import('../../runtime/gateway/lifecycle/run-gateway.js')
    const result = await runGateway({
      paths,
      env,
      stateDotenvKeys,
      version: this.config.version,
      console: {stream: process.stderr, isTTY, color: isTTY && !env.NO_COLOR && env.TERM !== 'dumb'},
      flags: {
        port: flags.port,
        bind: flags.bind as 'loopback' | 'lan' | 'custom' | 'auto' | undefined,
        auth: flags.auth as 'token' | 'password' | 'none' | undefined,
        token: flags.token,
        password: flags.password,
        allowUnconfigured: flags['allow-unconfigured'],
        force: flags.force,
        verbose: flags.verbose,
        drainTimeoutSeconds: flags['drain-timeout'],
        dev: env[CLI_DEV_FLAG_ENV] === '1',
      },
    })
    return {result, human: null}
  }
}
