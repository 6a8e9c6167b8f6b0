import {Args, Flags, type Interfaces} from '@oclif/core'

import type {AgentCommandOptions} from '../../runtime/agents/run/agent-command.js'
import {BaseCommand, type Outcome, type StreamIO} from '../base-command.js'
import {clientFlags, clientTarget, timeoutFlag} from '../flags.js'

export default class SessionsSend extends BaseCommand {
  static override summary = 'Send one message to a session and print the reply'
  static override description = 'One turn on the session named by <key>, as `openclaw agent --session-key` runs it: through the gateway when one runs (streamed), else embedded in this process. A full key (agent:work:main) names its agent; a short key (main) belongs to --agent or the default agent. Ctrl-C aborts the turn.'
  static override examples = [
    '<%= config.bin %> sessions send main --message "what did we decide?"   # needs: model',
    '<%= config.bin %> sessions send agent:work:main -m "summarize" --json   # needs: model',
    '<%= config.bin %> sessions send scratch --agent work -m hi --local   # needs: model, and no gateway running on this state dir',
    '<%= config.bin %> sessions send agent:main:telegram:direct:812345678 -m "reminder: standup" --deliver   # needs: model, telegram account',
  ]
  static override changesState = true
  static override args = {key: Args.string({description: 'Session key (main, telegram:direct:123, agent:work:main)', required: true})}
  static override flags = {
    json: Flags.boolean({description: 'Print one JSON document with the final result (no streaming)'}),
    ...clientFlags,
    message: Flags.string({char: 'm', description: 'The message to send', required: true}),
    agent: Flags.string({description: 'Agent id for short keys (default: the default agent)'}),
    local: Flags.boolean({description: 'Run embedded in this process; never ask a gateway'}),
    deliver: Flags.boolean({description: 'Also send the final reply to the chat the session last talked to (or the one its key names)'}),
    model: Flags.string({description: 'Model ref for this turn only (provider/model)'}),
    thinking: Flags.string({description: 'Reasoning effort for this turn: off|minimal|low|medium|high|xhigh'}),
    timeout: Flags.integer({description: 'Run timeout in seconds (default agents.defaults.timeoutSeconds, 600)', min: 1}),
    'run-timeout': Flags.integer({description: 'Alias of --timeout', min: 1, hidden: true}),
    'gateway-timeout': timeoutFlag(10_000, 'Gateway connect budget in milliseconds'),
  }

  protected override async streams(): Promise<{jsonLines: boolean} | null> {
    return this.jsonMode ? null : {jsonLines: false}
  }

  protected override async stream(io: StreamIO): Promise<void> {
    const {args, flags} = await this.parse(SessionsSend)
    const {streamPrinter} = await import('../../ui/render-agent.js')
    const printer = streamPrinter(io.stdout, io.stderr)
    const {sendToSession} = await import('../../runtime/sessions/send-to-session.js')
    const result = await sendToSession({...this.options(args.key, flags), observer: printer.observer, signal: io.signal})
    this.addWarnings(result.warnings)
    if (!printer.printed() && result.text !== '') io.stdout.write(result.text)
    printer.finish()
    const [{unfinishedRun}, {AppError}] = await Promise.all([import('../../runtime/agents/run/agent-command.js'), import('../../runtime/errors/app-error.js')])
    const failure = unfinishedRun(result)
    if (failure !== null) throw new AppError(failure.code, failure.message, {hint: failure.hint, details: failure.details})
  }

  protected async perform(): Promise<Outcome> {
    const {args, flags} = await this.parse(SessionsSend)
    const {sendToSession} = await import('../../runtime/sessions/send-to-session.js')
    const result = await sendToSession(this.options(args.key, flags))
    this.addWarnings(result.warnings)
    const {warnings: _omit, ...rest} = result
    const failure = (await import('../../runtime/agents/run/agent-command.js')).unfinishedRun(result)
    return {result: rest, human: result.text, log: {message: `sessions send ${result.runId} (${result.via}) ${result.status}`}, ...(failure === null ? {} : {failure})}
  }

  private options(key: string, flags: Interfaces.InferredFlags<typeof SessionsSend.flags>): AgentCommandOptions & {sessionKey: string} {
    const {paths, env} = this.context()
    return {
      paths, env, message: flags.message, agentId: flags.agent, sessionKey: key, local: flags.local, timeoutSeconds: flags.timeout ?? flags['run-timeout'],
      deliver: flags.deliver || undefined, model: flags.model, thinking: flags.thinking,
      flags: clientTarget(flags), connectTimeoutMs: flags['gateway-timeout'], clientInfo: {version: this.config.version},
    }
  }
}
