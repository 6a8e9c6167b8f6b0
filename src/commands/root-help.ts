import {Help} from '@oclif/core'

import {globalFlags} from './flags.js'

/**
 * oclif's help with the global flags in the top-level page (they are lifted out of argv by
 * bin/run.js, so no command lists them as its own). Wired in package.json `oclif.helpClass`.
 */
export class RootHelp extends Help {
  override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    this.log(globalFlagsSection())
  }
}

/** `GLOBAL FLAGS` as a help section: every global flag, accepted before or after the command words. */
export function globalFlagsSection(): string {
  const rows: Array<[string, string]> = [
    ['-h, --help', 'Show help (also: openclaw help <command>)'],
    ['-v, --version', 'Print the version'],
  ]
  for (const [name, flag] of Object.entries(globalFlags)) {
    if (flag.hidden === true && name !== 'debug') continue
    const value = flag.type === 'option' ? ' <value>' : ''
    rows.push([`--${name}${value}`, name === 'debug' ? 'Show stack traces (source-mapped) on errors' : (flag.description ?? '')])
  }
  rows.push(['--json', 'On every command that returns data: one JSON document on stdout'])
  const width = Math.max(...rows.map(([f]) => f.length)) + 2
  const lines = rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`)
  return ['GLOBAL FLAGS (before or after the command words)', ...lines, ''].join('\n')
}
