import {Flags, type Interfaces} from '@oclif/core'

import type {LogLevel} from '../runtime/logging/levels.js'
import type {LogsRequest} from '../runtime/logs/open-logs.js'
import {BaseCommand, type Outcome, type StreamIO} from './base-command.js'
import {clientFlags, clientTarget} from './flags.js'
import {createLogsPrinter, logsHeader, renderLogsView, stdoutColour} from '../ui/render-logs.js'

export default class Logs extends BaseCommand {
  static override summary = 'Show the gateway file log, or follow it'
  static override description = 'Reads the log through the gateway (logs.tail); without a running gateway at the default loopback target, reads the local file. With --follow and --json, prints JSON Lines: meta, then log and notice lines.'
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs -f --level warn', '<%= config.bin %> logs --local -n 50 --json', '<%= config.bin %> logs --follow --json --url ws://10.0.0.5:18789 --token "$TOKEN"   # needs: network']
  static override flags = {
    json: Flags.boolean({description: 'Print one JSON envelope; with --follow, JSON Lines ({"type":"meta"|"log"|"notice"|"error",…})'}),
    ...clientFlags,
    timeout: Flags.integer({description: 'Timeout in milliseconds (handshake and each request)', default: 30_000, min: 1}),
    follow: Flags.boolean({char: 'f', description: 'Keep printing new lines as they arrive (Ctrl-C to stop)'}),
    limit: Flags.integer({char: 'n', description: 'Most lines to show (per poll when following)', default: 200, min: 1, max: 5000}),
    'max-bytes': Flags.integer({description: 'Most bytes to read per request', default: 250_000, min: 1, max: 1_000_000}),
    interval: Flags.integer({description: 'Poll interval in milliseconds when following', default: 1000, min: 50}),
    level: Flags.string({description: 'Only lines at or above this level', options: ['trace', 'debug', 'info', 'warn', 'error', 'fatal']}),
    local: Flags.boolean({description: 'Read the local log file; do not ask the gateway'}),
    file: Flags.string({description: 'Read this log file (implies --local)'}),
    utc: Flags.boolean({description: 'Show times in UTC instead of local time'}),
    plain: Flags.boolean({description: 'No colours'}),
  }

  // `--follow` streams; with --json as JSON Lines (operations.md §1.3, §7): no envelope, errors as a line.
  protected override async streams(): Promise<{jsonLines: boolean} | null> {
    const {flags} = await this.parse(Logs)
    return flags.follow ? {jsonLines: this.jsonMode} : null
  }

  protected override async stream(io: StreamIO): Promise<void> {
    const {flags} = await this.parse(Logs)
    const {followLogs} = await import('../runtime/logs/follow-logs.js')
    const print = createLogsPrinter({json: io.jsonLines, utc: flags.utc, color: stdoutColour(flags.plain), stdout: io.stdout, stderr: io.stderr})
    for await (const event of followLogs(this.request(flags), {intervalMs: flags.interval, signal: io.signal})) print(event)
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Logs)
    const {readLogs} = await import('../runtime/logs/read-logs.js')
    const {view, warnings} = await readLogs(this.request(flags))
    this.addWarnings(warnings)
    if (!this.jsonMode) {
      process.stderr.write(logsHeader(view.source, view.file) + '\n')
      if (view.bytesSkipped) process.stderr.write('Log tail truncated (increase --limit or --max-bytes).\n')
    }
    return {result: view, human: renderLogsView(view, {utc: flags.utc, color: stdoutColour(flags.plain)})}
  }

  private request(flags: Interfaces.InferredFlags<typeof Logs.flags>): LogsRequest {
    const {paths, env} = this.context()
    return {
      paths, env,
      flags: {...clientTarget(flags), local: flags.local, file: flags.file},
      sizing: {limit: flags.limit, maxBytes: flags['max-bytes']},
      timeoutMs: flags.timeout,
      clientInfo: {version: this.config.version},
      minLevel: flags.level as LogLevel | undefined,
    }
  }
}
