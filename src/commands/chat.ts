import {Flags, type Interfaces} from '@oclif/core'

import {BaseCommand, type Outcome, type StreamIO} from './base-command.js'
import {clientFlags, clientTarget} from './flags.js'

export default class Chat extends BaseCommand {
  static override summary = 'Talk with an agent in the terminal'
  static override description = 'An interactive conversation: each line you type is one turn, the reply streams as it arrives. Goes through the gateway when one runs, else embedded (as `openclaw agent`). Chat commands (/new, /reset, /status, /model, /help) go to the agent; /exit or Ctrl-D quits. Ctrl-C aborts the running reply, a second Ctrl-C (or one at an empty prompt) exits. Without a terminal, each line of stdin is answered in turn.'
  static override examples = [
    '<%= config.bin %> chat   # needs: model',
    '<%= config.bin %> chat --agent work --session-key scratch   # needs: model',
    'printf "hi\\n/status\\n" | <%= config.bin %> chat --local   # needs: model',
  ]
  static override changesState = true
  static override supportsJson = false
  static override flags = {
    ...clientFlags,
    agent: Flags.string({description: 'Agent id (default: the default agent)'}),
    'session-key': Flags.string({description: "Session key (default: the agent's main session)"}),
    local: Flags.boolean({description: 'Run embedded in this process; never ask a gateway'}),
    'run-timeout': Flags.integer({description: 'Run timeout in seconds per turn (default agents.defaults.timeoutSeconds)', min: 1}),
  }

  protected override async streams(): Promise<{jsonLines: boolean} | null> {
    return {jsonLines: false}
  }

  protected override async stream(io: StreamIO): Promise<void> {
    const {flags} = await this.parse(Chat)
    const [{runChatLoop}, {runAgentCommand}] = await Promise.all([import('../ui/chat-loop.js'), import('../runtime/agents/run/agent-command.js')])
    const warned = new Set<string>()
    const {failed} = await runChatLoop({
      input: process.stdin, stdout: io.stdout, stderr: io.stderr, signal: io.signal,
      turn: async (message, observer, signal) => {
        const result = await runAgentCommand({...this.options(flags), message, observer, signal})
        for (const warning of result.warnings.filter((w) => !warned.has(w))) {
          warned.add(warning)
          io.stderr.write(`Warning: ${warning}\n`)
        }
        return result
      },
    })
    if (failed > 0 && process.stdin.isTTY !== true) process.exitCode = 1
  }

  // Never reached: streams() always plans a stream.
  protected async perform(): Promise<Outcome> {
    return {result: null}
  }

  private options(flags: Interfaces.InferredFlags<typeof Chat.flags>) {
    const {paths, env} = this.context()
    return {
      paths, env, agentId: flags.agent, sessionKey: flags['session-key'], local: flags.local, timeoutSeconds: flags['run-timeout'],
      flags: clientTarget(flags), connectTimeoutMs: flags.timeout, clientInfo: {version: this.config.version},
    }
  }
}
