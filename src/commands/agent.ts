import {Flags, type Interfaces} from '@oclif/core'

import type {AgentCommandOptions} from '../runtime/agents/run/agent-command.js'
import {BaseCommand, type Outcome, type StreamIO} from './base-command.js'
import {clientFlags, clientTarget, timeoutFlag} from './flags.js'

export default class Agent extends BaseCommand {
  static override summary = 'Send one message to an agent and print its reply'
  static override description = 'Goes through the gateway when one runs (the reply streams as it arrives, one line per tool call on stderr); with no gateway at the default loopback target, runs embedded and writes the same session store. Ctrl-C aborts the turn. Chat commands (/new, /reset) work here too. The session: --session-key, else --session-id (the session whose current id it is), else --to (the session a message from that chat lands in), else the agent\'s main session. --deliver also sends the final reply to --to (else the chat the session last talked to) through its channel account (--reply-to/--reply-channel/--reply-account send it elsewhere, the session unchanged); without a gateway it goes straight to the Bot API. A reply that could not be delivered exits 1 unless --best-effort-deliver.'
  static override examples = [
    '<%= config.bin %> agent --message "hi"   # needs: model',
    '<%= config.bin %> agent --agent work -m "summarize notes.md" --json   # needs: model',
    '<%= config.bin %> agent --channel telegram --to 812345678 --deliver -m "the build is green"   # needs: model, telegram account',
    '<%= config.bin %> agent --to -1001234567890 --thread-id 42 --deliver --best-effort-deliver -m "nightly report"   # needs: model, telegram account',
    'git diff | <%= config.bin %> agent --message-file - --thinking high --timeout 120   # needs: model',
    '<%= config.bin %> agent --local -m hi --session-key agent:main:scratch   # needs: model, and no gateway running on this state dir',
  ]
  static override changesState = true
  static override flags = {
    json: Flags.boolean({description: 'Print one JSON document with the final result (no streaming)'}),
    ...clientFlags,
    timeout: Flags.integer({description: 'Run timeout in seconds (default agents.defaults.timeoutSeconds, 600)', min: 1}),
    'run-timeout': Flags.integer({description: 'Alias of --timeout', min: 1, hidden: true}),
    'gateway-timeout': timeoutFlag(10_000, 'Gateway connect budget in milliseconds'),
    message: Flags.string({char: 'm', description: 'The message to send', exactlyOne: ['message', 'message-file']}),
    'message-file': Flags.string({description: 'Read the message from this file (- for stdin)', exactlyOne: ['message', 'message-file']}),
    agent: Flags.string({description: 'Agent id (default: the default agent, or the one --to routes to)'}),
    'session-key': Flags.string({description: "Session key (default: the agent's main session)"}),
    'session-id': Flags.string({description: 'Continue the session whose current sessionId this is'}),
    to: Flags.string({description: 'Target chat (telegram chat id, @channel): picks its session; with --deliver the reply goes there'}),
    channel: Flags.string({description: 'Channel of --to (default: the only configured one)'}),
    account: Flags.string({description: 'Channel account of --to (default: the channel default account)'}),
    deliver: Flags.boolean({description: 'Also send the final reply to the chat (--to, else the session\'s last chat); a failed send exits 1'}),
    'best-effort-deliver': Flags.boolean({description: 'With --deliver: an unusable target or a failed send is a warning and exit 0, not an error', dependsOn: ['deliver']}),
    'thread-id': Flags.string({description: 'Telegram forum topic (message thread) of --to, or of the delivery target'}),
    'reply-to': Flags.string({description: 'Deliver to this chat instead (the session stays the one --to or the selectors pick)', dependsOn: ['deliver']}),
    'reply-channel': Flags.string({description: 'Channel of --reply-to (default: --channel, else the only configured one)', dependsOn: ['deliver']}),
    'reply-account': Flags.string({description: 'Channel account to deliver from (default: --account, else the channel default account)', dependsOn: ['deliver']}),
    model: Flags.string({description: 'Model ref for this turn only (provider/model)'}),
    thinking: Flags.string({description: 'Reasoning effort for this turn: off|minimal|low|medium|high|xhigh'}),
    local: Flags.boolean({description: 'Run embedded in this process; never ask a gateway'}),
  }

  protected override async streams(): Promise<{jsonLines: boolean} | null> {
    return this.jsonMode ? null : {jsonLines: false}
  }

  protected override async stream(io: StreamIO): Promise<void> {
    const {flags} = await this.parse(Agent)
    const {streamPrinter} = await import('../ui/render-agent.js')
    const printer = streamPrinter(io.stdout, io.stderr)
    const {runAgentCommand, unfinishedRun} = await import('../runtime/agents/run/agent-command.js')
    const {AppError} = await import('../runtime/errors/app-error.js')
    const result = await runAgentCommand({...(await this.options(flags)), observer: printer.observer, signal: io.signal})
    this.addWarnings(result.warnings)
    // A reply that did not stream (a cached final, a command) is printed whole.
    if (!printer.printed() && result.text !== '') io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`)
    printer.finish()
    if (result.delivered && result.delivery) io.stderr.write(`Delivered to ${result.delivery.channel} ${result.delivery.to} (account ${result.delivery.accountId}).\n`)
    const failure = unfinishedRun(result, {bestEffortDeliver: flags['best-effort-deliver']})
    if (failure !== null) throw new AppError(failure.code, failure.message, {hint: failure.hint, details: failure.details})
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Agent)
    const {runAgentCommand, unfinishedRun} = await import('../runtime/agents/run/agent-command.js')
    const result = await runAgentCommand(await this.options(flags))
    this.addWarnings(result.warnings)
    const {warnings: _omit, ...rest} = result
    const failure = unfinishedRun(result, {bestEffortDeliver: flags['best-effort-deliver']})
    return {result: rest, human: result.text, log: {message: `agent run ${result.runId} (${result.via}) ${result.status}`}, ...(failure === null ? {} : {failure})}
  }

  private async options(flags: Interfaces.InferredFlags<typeof Agent.flags>): Promise<AgentCommandOptions> {
    const {paths, env} = this.context()
    const {readMessageFile} = await import('../runtime/agents/run/message-input.js')
    const message = flags.message ?? (await readMessageFile(flags['message-file']!, paths.cwd, process.stdin))
    return {
      paths, env, message, agentId: flags.agent, sessionKey: flags['session-key'], sessionId: flags['session-id'], to: flags.to, channel: flags.channel, accountId: flags.account,
      threadId: flags['thread-id'], replyTo: flags['reply-to'], replyChannel: flags['reply-channel'], replyAccountId: flags['reply-account'],
      deliver: flags.deliver || undefined, bestEffortDeliver: flags['best-effort-deliver'] || undefined, model: flags.model, thinking: flags.thinking, local: flags.local, timeoutSeconds: flags.timeout ?? flags['run-timeout'],
      flags: clientTarget(flags), connectTimeoutMs: flags['gateway-timeout'], clientInfo: {version: this.config.version},
    }
  }
}
