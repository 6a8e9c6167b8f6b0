import ConfigFile from './commands/config/file.js'

/** The explicit command map oclif loads (package.json `oclif.commands`). Keys use ":"; help shows spaces. */
export const COMMANDS = {
  'config:file': ConfigFile,
}
