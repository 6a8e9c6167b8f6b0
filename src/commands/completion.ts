import {Args} from '@oclif/core'

import {completionScript, SHELLS, type Shell} from '../ui/completion-script.js'
import {BaseCommand, type Outcome} from './base-command.js'
import {loadCommandDetails} from './command-details.js'
import {globalFlags} from './flags.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish)'
  static override description =
    'Completes commands, their flags and config paths (config get|set|unset), generated from this version\'s command tree and config schema. Load it in your shell\'s startup file.'
  static override examples = [
    'source <(<%= config.bin %> completion bash)   # in ~/.bashrc',
    '<%= config.bin %> completion zsh > ~/.openclaw-completion.zsh   # and in ~/.zshrc: source ~/.openclaw-completion.zsh',
    'mkdir -p ~/.config/fish/completions && <%= config.bin %> completion fish > ~/.config/fish/completions/openclaw.fish',
  ]
  static override args = {shell: Args.string({description: 'Shell to complete for', options: [...SHELLS], required: true})}
  // A script to source: there is no data to wrap in an envelope.
  static override supportsJson = false

  protected async perform(): Promise<Outcome> {
    const {args} = await this.parse(Completion)
    const {listConfigPaths} = await import('../runtime/config/schema/config-paths.js')
    await loadCommandDetails(this.config)
    const commands = this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => ({words: c.id.split(':').join(' '), summary: c.summary ?? '', flags: Object.entries(c.flags).filter(([n, f]) => !f.hidden && !(n in globalFlags)).map(([n]) => `--${n}`)}))
      .sort((a, b) => (a.words < b.words ? -1 : 1))
    const global = Object.entries(globalFlags).filter(([, f]) => !f.hidden)
    const script = completionScript(args.shell as Shell, {
      commands,
      globalFlags: ['--help', '--version', ...global.map(([n]) => `--${n}`)],
      valueFlags: global.filter(([, f]) => f.type === 'option').map(([n]) => `--${n}`),
      configPaths: listConfigPaths(),
      configPathCommands: ['config get', 'config set', 'config unset'],
    })
    return {result: script, human: script}
  }
}
