/**
 * The subsystems this build runs, in start order. Adding a capability is one entry here plus its
 * folder under `runtime/`; nothing in `server/` changes.
 */
import {agentsSubsystem} from '../../agents/agents-subsystem.js'
import {AppError} from '../../errors/app-error.js'
import {telegramSubsystem} from '../../channels/telegram-subsystem.js'
import type {Config} from '../../config/schema/index.js'
import type {GatewaySubsystem} from './subsystem.js'

/** The subsystems for a gateway started with `config`. */
export function gatewaySubsystems(_config: Config): GatewaySubsystem[] {
  // Replayed channel runs (after a crash) deliver through their channel: the sink waits for it to start.
  const agents = agentsSubsystem({channelSink: (origin, resume) => (origin.channel === 'telegram' ? telegram.sinkFor(origin, resume) : undefined)})
  const telegram = telegramSubsystem({
    dispatchInbound: async (envelope, sink) => {
      await agents.replayed()
      const runner = agents.runner()
      if (runner === undefined) throw new AppError('GATEWAY_NOT_RUNNING', 'the agent runner is not running', {hint: ['openclaw gateway run']})
      return runner.inbound(envelope, sink)
    },
  })
  return [agents, telegram]
}
