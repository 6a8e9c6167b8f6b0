import {Help, type Interfaces} from '@oclif/core'

import {loadCommandDetails} from './command-details.js'
import {globalFlags} from './flags.js'

/**
 * oclif's help with the global flags in the top-level page (they are lifted out of argv by
 * bin/run.js, so no command lists them as its own). Wired in package.json `oclif.helpClass`.
 */
export class RootHelp extends Help {
  constructor(config: Interfaces.Config, opts: Partial<Interfaces.HelpOptions> = {}) {
    super(config, opts)
    // oclif renders every summary and description as an ejs template, compiling a new function
    // each time (~30 per root page); text without a tag is its own rendering.
    const renderTemplate = this.render
    this.render = (text) => (text.includes('<%') ? renderTemplate(text) : text)
  }

  /** Every help page (`--help`, `-h`, `help <command>`, a bare topic) shows flags and examples: the full manifest's. */
  override async showHelp(argv: string[]): Promise<void> {
    await loadCommandDetails(this.config)
    await super.showHelp(argv)
  }

  /** Plain text that fits is its own wrapping; anything else goes through oclif's (wrap-ansi: widths, ANSI, long words). */
  override wrap(body: string, spacing = this.indentSpacing): string {
    const text = this.render(body)
    return fitsUnwrapped(text, this.opts.maxWidth - spacing) ? text : super.wrap(body, spacing)
  }

  /** oclif's topics with children, sorted, without rebuilding the `name:` needle for every pair of topics. */
  protected override get sortedTopics(): Interfaces.Topic[] {
    const names = this.config.topics.map((t) => t.name)
    const withChildren = this.config.topics.filter((topic) => {
      const needle = `${topic.name}:`
      return names.some((name) => name.includes(needle))
    })
    const byName = new Map(withChildren.filter((t) => this.opts.all || !t.hidden).map((t) => [t.name, t]))
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

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

/**
 * Whether wrap-ansi (hard wrap, trimmed rows) would return `text` unchanged at `columns`: one line
 * of printable ASCII words separated by single spaces, no wider than the columns.
 */
export function fitsUnwrapped(text: string, columns: number): boolean {
  return text.length <= columns && /^[!-~]+( [!-~]+)*$/.test(text)
}
