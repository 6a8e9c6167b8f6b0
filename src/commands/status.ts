import {Flags} from '@oclif/core'

import {renderStatus} from '../ui/render-status.js'
import {BaseCommand, type Outcome} from './base-command.js'
import {clientFlags, clientTarget, jsonFlag} from './flags.js'

export default class Status extends BaseCommand {
  static override summary = 'Show the local setup and whether the gateway is up'
  static override description = 'A local report (version, paths, config, agents, sessions) enriched by the gateway when it answers. Exit 0 whenever the report was produced; with --deep or --all, exit 3 when a probe or check fails.'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --deep', '<%= config.bin %> status --all --json > status.json']
  static override flags = {
    ...jsonFlag,
    ...clientFlags,
    deep: Flags.boolean({description: 'Add a live health probe, /ready and the port check'}),
    all: Flags.boolean({description: 'Everything in --deep plus the last 20 warn+ log lines, redacted (for bug reports)'}),
    verbose: Flags.boolean({description: 'Full paths, PIDs, config issues and per-account detail'}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Status)
    const {paths, env} = this.context()
    const {collectStatus, checksFailed} = await import('../runtime/status/collect-status.js')
    const {report, warnings} = await collectStatus({
      paths, env,
      flags: clientTarget(flags),
      timeoutMs: flags.timeout,
      clientInfo: {version: this.config.version},
      deep: flags.deep, all: flags.all, verbose: flags.verbose,
    })
    this.addWarnings(warnings)
    const human = renderStatus(report, {verbose: flags.verbose, home: paths.home})
    if (report.checks === undefined || !checksFailed(report.checks)) return {result: report, human}
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id)
    return {
      result: report,
      human,
      failure: {
        code: 'CHECKS_FAILED',
        message: `status checks failed: ${failed.join(', ')}`,
        hint: ['Start the gateway: openclaw gateway run (or: openclaw gateway start)', 'Gateway log: openclaw logs --follow', 'Config issues: openclaw config validate'],
      },
    }
  }
}
