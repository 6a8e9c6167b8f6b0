import {runShellCommand} from '../process.js'
import {resolveWorkspacePath} from './confine.js'
import {analyzeCommand, decideExec} from './exec-policy.js'
import {TailBuffer} from './output-limits.js'
import {intArg, stringArg, textOutput, ToolError, type Tool} from './tool.js'

/** Per-stream buffer: the last 1 MiB is kept. */
const STREAM_LIMIT = 1024 * 1024

function envArg(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new ToolError('parameter "env" must be an object of strings')
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
}

/**
 * `exec` (runtime.md §8.7–8.8): `/bin/sh -c` in the workspace, approvals first, timeout
 * `tools.exec.timeoutSec` capped by the run's remaining time, SIGTERM then SIGKILL 5 s later.
 */
export const execTool: Tool = {
  name: 'exec',
  group: 'runtime',
  description: 'Run a shell command (/bin/sh -c) in the workspace; returns exit code, stdout and stderr.',
  parameters: {
    type: 'object',
    properties: {
      command: {type: 'string', description: 'The shell command'},
      workdir: {type: 'string', description: 'Working directory inside the workspace (default: the workspace)'},
      timeoutSeconds: {type: 'integer', minimum: 1, description: 'Timeout in seconds'},
      env: {type: 'object', additionalProperties: {type: 'string'}, description: 'Extra environment variables'},
    },
    required: ['command'],
  },
  async run(args, context) {
    const command = stringArg(args, 'command', {})
    if (command.trim() === '') throw new ToolError('command is empty')
    const workdir = stringArg(args, 'workdir', {optional: true})
    const cwd = workdir === undefined ? context.workspace : resolveWorkspacePath(context.workspace, workdir, true)
    const env = envArg(args.env)
    const settings = context.config.tools.exec
    const analysis = analyzeCommand(command, {safeBins: settings.safeBins, workspace: context.workspace})
    const decision = decideExec(settings.security, settings.ask, analysis, context.approvals.isAllowedAlways(context.agentId, command))
    if (decision.action === 'deny') return textOutput(`exec denied: ${decision.reason}`, true)
    if (decision.action === 'ask') {
      const answer = await context.approvals.request({command, cwd, agentId: context.agentId, sessionKey: context.sessionKey, reason: decision.reason}, context.signal)
      if (context.signal.aborted) return textOutput('aborted', true)
      if (answer === 'deny') return textOutput(`exec denied: not approved (${decision.reason})`, true)
    }
    const now = (context.now ?? Date.now)()
    const remaining = context.deadline === undefined ? Number.POSITIVE_INFINITY : context.deadline - now
    const requestedTimeout = intArg(args, 'timeoutSeconds', 1, 86_400)
    const timeoutMs = Math.max(1, Math.min(settings.timeoutSec * 1000, requestedTimeout === undefined ? Number.POSITIVE_INFINITY : requestedTimeout * 1000, remaining))
    const stdout = new TailBuffer(STREAM_LIMIT)
    const stderr = new TailBuffer(STREAM_LIMIT)
    const result = await runShellCommand(command, {cwd, env: {...context.env, ...env}, timeoutMs, signal: context.signal, onStdout: (c) => stdout.push(c), onStderr: (c) => stderr.push(c)})
    if (result.spawnError !== undefined) return textOutput(`exec failed to start: ${result.spawnError}`, true)
    const status = result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)}s` : result.aborted ? 'aborted' : result.signal !== null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`
    const lines = [`${status} · ${result.durationMs} ms`]
    const out = stdout.text()
    const err = stderr.text()
    if (out !== '') lines.push(`stdout:\n${out.replace(/\n$/, '')}`)
    if (err !== '') lines.push(`stderr:\n${err.replace(/\n$/, '')}`)
    if (out === '' && err === '') lines.push('(no output)')
    return textOutput(lines.join('\n'), result.exitCode !== 0 || result.timedOut || result.aborted)
  },
}
