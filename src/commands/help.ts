import {Args, loadHelpClass} from '@oclif/core'

import {BaseCommand, type Outcome} from './base-command.js'

export default class HelpCommand extends BaseCommand {
  static override summary = 'Show help for openclaw or one of its commands'
  static override description = 'The same text as --help: `openclaw help config get` is `openclaw config get --help`.'
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help config get']
  static override args = {command: Args.string({description: 'Command words (e.g. config get)'})}
  static override strict = false
  // Help is text for people; --json belongs to the commands it describes.
  static override supportsJson = false

  protected async perform(): Promise<Outcome> {
    const {argv} = await this.parse(HelpCommand)
    const words = (argv as string[]).filter((a) => !a.startsWith('-'))
    const id = words.join(':')
    if (id !== '' && this.config.findCommand(id) === undefined && this.config.findTopic(id) === undefined) {
      const {unknownCommandToUsage} = await import('../ui/usage-errors.js')
      throw unknownCommandToUsage(words, this.config.commands.map((c) => c.id))
    }
    const Help = await loadHelpClass(this.config)
    await new Help(this.config).showHelp(words)
    return {result: null, human: null}
  }
}
