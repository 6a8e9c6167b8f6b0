import {Flags, type Interfaces} from '@oclif/core'

import type {AgentCommandOptions} from '../runtime/agents/run/agent-command.js'
import {BaseCommand, type Outcome, type StreamIO} from './base-command.js'
import {clientFlags, clientTarget} from './flags.js'

export default class Agent extends BaseCommand {
  static override summary = 'Send one message to an agent and print its reply'
  static override description = 'Goes through the gateway when one runs (the reply streams as it arrives, one line per tool call on stderr); with no gateway at the default loopback target, runs embedded and writes the same session store. Ctrl-C aborts the turn. Chat commands (/new, /reset) work here too.'
  static override examples = [
    '<%= config.bin %> agent --message "hi"   # needs: model',
    '<%= config.bin %> agent --agent work -m "summarize notes.md" --json   # needs: model',
    '<%= config.bin %> agent --local -m hi --session-key agent:main:scratch   # needs: model, and no gateway running on this state dir',
  ]
  static override changesState = true
  static override flags = {
    json: Flags.boolean({description: 'Print one JSON document with the final result (no streaming)'}),
    ...clientFlags,
    message: Flags.string({char: 'm', description: 'The message to send', required: true}),
    agent: Flags.string({description: 'Agent id (default: the default agent)'}),
    'session-key': Flags.string({description: "Session key (default: the agent's main session)"}),
    local: Flags.boolean({description: 'Run embedded in this process; never ask a gateway'}),
    'run-timeout': Flags.integer({description: 'Run timeout in seconds (default agents.defaults.timeoutSeconds)', min: 1}),
  }

  protected override async streams(): Promise<{jsonLines: boolean} | null> {
    return this.jsonMode ? null : {jsonLines: false}
  }

  protected override async stream(io: StreamIO): Promise<void> {
    const {flags} = await this.parse(Agent)
    const {streamPrinter} = await import('../ui/render-agent.js')
    const printer = streamPrinter(io.stdout, io.stderr)
    const {runAgentCommand} = await import('../runtime/agents/run/agent-command.js')
    const result = await runAgentCommand({...this.options(flags), observer: printer.observer, signal: io.signal})
    this.addWarnings(result.warnings)
    // A reply that did not stream (a cached final, a command) is printed whole.
    if (!printer.printed() && result.text !== '') io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`)
    printer.finish()
    if (result.status === 'timeout') io.stderr.write(`⏱️ Timed out (${result.summary}).\n`)
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Agent)
    const {runAgentCommand} = await import('../runtime/agents/run/agent-command.js')
    const result = await runAgentCommand(this.options(flags))
    this.addWarnings(result.warnings)
    const {warnings: _omit, ...rest} = result
    return {result: rest, human: result.text, log: {message: `agent run ${result.runId} (${result.via}) ${result.status}`}}
  }

  private options(flags: Interfaces.InferredFlags<typeof Agent.flags>): AgentCommandOptions {
    const {paths, env} = this.context()
    return {
      paths, env, message: flags.message, agentId: flags.agent, sessionKey: flags['session-key'], local: flags.local, timeoutSeconds: flags['run-timeout'],
      flags: clientTarget(flags), connectTimeoutMs: flags.timeout, clientInfo: {version: this.config.version},
    }
  }
}
