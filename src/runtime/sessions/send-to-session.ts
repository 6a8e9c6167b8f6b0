/**
 * `openclaw sessions send <key>`: one turn on a named session, exactly as `openclaw agent
 * --session-key` runs it (through the gateway when one runs, else embedded). The agent comes from
 * a full key (`agent:work:main`), else `--agent`, else the default agent.
 */
import {AppError} from '../errors/app-error.js'
import {runAgentCommand, type AgentCommandOptions, type AgentCommandResult} from '../agents/run/agent-command.js'
import {agentIdOfSessionKey} from '../routing/session-key.js'
import {normalizeAgentId} from '../routing/normalize.js'

export async function sendToSession(options: AgentCommandOptions & {sessionKey: string}): Promise<AgentCommandResult> {
  const owner = agentIdOfSessionKey(options.sessionKey)
  if (owner !== undefined && options.agentId !== undefined && normalizeAgentId(options.agentId) !== owner) {
    throw new AppError('USAGE', `session ${options.sessionKey} belongs to agent ${owner}, not ${options.agentId}`, {
      hint: [`openclaw sessions send ${options.sessionKey} --message "…"`, 'openclaw sessions list --all-agents'],
    })
  }
  return runAgentCommand({...options, agentId: options.agentId ?? owner})
}
