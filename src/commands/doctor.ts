import {Flags} from '@oclif/core'

import {isAppError} from '../runtime/errors/app-error.js'
import type {DoctorReport} from '../runtime/doctor/run-doctor.js'
import {renderDoctor} from '../ui/render-doctor.js'
import {BaseCommand, type Outcome} from './base-command.js'
import {jsonFlag} from './flags.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check the setup and repair what can be repaired'
  static override changesState = true
  static override description =
    'Runs every check in order, whatever state the config is in. Without --fix nothing is written. --fix applies safe fixes (lossless: migrations, modes, a missing token); ' +
    'lossy ones are asked one by one on a terminal, and otherwise need --yes. Everything a fix changes is copied first to <state>/backups/doctor-<ts>/ with a manifest. Exit 0 ok, 3 a check fails, 1 a fix could not be made.'

  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --fix',
    '<%= config.bin %> doctor --fix --restore-last-good',
    '<%= config.bin %> doctor --lint --json',
  ]

  static override flags = {
    ...jsonFlag,
    fix: Flags.boolean({description: 'Apply safe fixes (backups first)', aliases: ['repair']}),
    yes: Flags.boolean({description: 'Also apply lossy fixes (implies --fix)'}),
    'non-interactive': Flags.boolean({description: 'Never prompt (safe fixes only with --fix; lossy ones need --yes)'}),
    lint: Flags.boolean({description: 'Read-only static subset for CI: no network, no service manager, no writes'}),
    deep: Flags.boolean({description: 'Accepted for compatibility: every check already runs, including the gateway probe'}),
    'generate-gateway-token': Flags.boolean({description: 'Rotate gateway.auth.token (connected clients must re-authenticate); needs --fix'}),
    'restore-last-good': Flags.boolean({description: 'With --fix: replace an unparsable config by its newest .bak that parses (the broken file is kept)'}),
    only: Flags.string({description: 'Run only this check (repeatable)', multiple: true}),
    skip: Flags.string({description: 'Skip this check (repeatable)', multiple: true}),
  }

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Doctor)
    const {paths, env} = this.context()
    const {runDoctor, pathInputsFromProcess} = await import('../runtime/doctor/run-doctor.js')
    const fix = flags.fix || flags.yes
    // A terminal on both ends and nobody said "never ask": lossy fixes are asked one by one.
    const interactive = fix && !flags.yes && !flags['non-interactive'] && !this.jsonMode && process.stdin.isTTY === true && process.stderr.isTTY === true
    const approve = interactive ? (await import('../ui/doctor-prompts.js')).fixPrompter(paths.home) : undefined
    const options = {
      fix, yes: flags.yes, lint: flags.lint, restoreLastGood: flags['restore-last-good'],
      generateGatewayToken: flags['generate-gateway-token'], only: flags.only, skip: flags.skip, approve,
    }
    try {
      const report = await runDoctor({pathInputs: pathInputsFromProcess(env), env, version: this.config.version}, options)
      return {result: report, human: renderDoctor(report, paths.home), log: report.summary.fixed > 0 ? {message: `doctor fixed ${report.summary.fixed} checks`, data: {backupDir: report.backupDir}} : undefined}
    } catch (error) {
      // The report goes to stdout before the error, so a failing run still shows every check.
      if (!this.jsonMode && isAppError(error) && error.result !== undefined) process.stdout.write(renderDoctor(error.result as DoctorReport, paths.home).join('\n') + '\n')
      throw error
    }
  }
}
