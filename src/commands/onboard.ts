import {existsSync} from 'node:fs'

import {AppError} from '../runtime/errors/app-error.js'
import {renderOnboard} from '../ui/render-onboard.js'
import {BaseCommand, type Outcome} from './base-command.js'
import {jsonFlag} from './flags.js'
import {answersFromFlags, onboardFlags} from './onboard-flags.js'

export default class Onboard extends BaseCommand {
  static override summary = 'Set up openclaw: model, gateway, Telegram, service'
  static override changesState = true
  static override description =
    'The setup wizard. Interactive in a terminal; every prompt has a flag, and --non-interactive --accept-risk runs from flags alone (exit 2 names each missing flag). ' +
    'Works offline; keys are checked only with --check-key. Writes the config once, the workspace bootstrap files, and never deletes data (Reset moves files to backups/).'

  static override examples = [
    '<%= config.bin %> onboard   # needs: terminal',
    '<%= config.bin %> onboard --non-interactive --accept-risk --flow quickstart --provider openai --model openai/gpt-4o-mini --api-key-env OPENAI_API_KEY',
    '<%= config.bin %> onboard --non-interactive --accept-risk --telegram-token 123:abc --telegram-dm-policy pairing --json',
  ]

  static override flags = {...jsonFlag, ...onboardFlags}

  protected async perform(): Promise<Outcome> {
    const {flags} = await this.parse(Onboard)
    const {paths, env} = this.context()
    let answers = answersFromFlags(flags)
    const nonInteractive = flags['non-interactive']
    if (this.jsonMode && !nonInteractive) throw new AppError('USAGE', '--json never prompts; add --non-interactive --accept-risk and the answers as flags', {hint: ['openclaw onboard --non-interactive --accept-risk --json']})
    const {missingFlags} = await import('../runtime/onboard/required-flags.js')
    if (nonInteractive) {
      if (answers.acceptRisk !== true) throw new AppError('USAGE', '--non-interactive requires --accept-risk', {hint: ['openclaw onboard --non-interactive --accept-risk …']})
      const missing = missingFlags(answers, env)
      if (missing.length > 0) throw new AppError('USAGE', `missing ${missing.join(', ')} (required with --non-interactive)`, {hint: ['openclaw onboard --help']})
    } else {
      if (!process.stdin.isTTY || !process.stderr.isTTY) throw new AppError('USAGE', 'onboard needs a terminal; for scripts use: openclaw onboard --non-interactive --accept-risk …', {hint: ['openclaw onboard --non-interactive --accept-risk --help']})
      const {promptAnswers} = await import('../ui/onboard-prompts.js')
      const {PROVIDERS} = await import('../runtime/onboard/answers.js')
      answers = await promptAnswers(answers, {configExists: existsSync(paths.configPath), configPath: paths.configPath, stateDir: paths.stateDir, env, providers: PROVIDERS})
    }
    const {runOnboard} = await import('../runtime/onboard/run-onboard.js')
    const {result, warnings} = await runOnboard({paths, env, version: this.config.version, answers, packageRoot: this.config.root, interactive: !nonInteractive})
    this.addWarnings(warnings)
    return {result, human: renderOnboard(result, paths.home), log: {message: `onboard wrote ${result.configPath}`, data: {flow: result.flow, mode: result.mode}}}
  }
}
