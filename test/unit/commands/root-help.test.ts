import {createRequire} from 'node:module'
import {format} from 'node:util'

import {Config, Help} from '@oclif/core'
import {describe, expect, it} from 'vitest'

import {COMMANDS} from '../../../src/commands.js'
import {fitsUnwrapped, globalFlagsSection, RootHelp} from '../../../src/commands/root-help.js'
import {repoRoot} from '../../helpers/cli.js'

// The wrap-ansi oclif's help formatter uses (its own copy), which the fast path must agree with.
const wrapAnsi = createRequire(createRequire(import.meta.url).resolve('@oclif/core'))('wrap-ansi') as (text: string, columns: number, options: {hard: boolean}) => string

describe('fitsUnwrapped (text that wrap-ansi would return unchanged)', () => {
  it.each([
    ['Print a config value', 80, true],
    ['Print a config value', 20, true],
    ['Print a config value', 19, false],
    ['', 80, false],
    [' leading space', 80, false],
    ['trailing space ', 80, false],
    ['double  space', 80, false],
    ['two\nlines', 80, false],
    ['tab\there', 80, false],
    ['non-ASCII …', 80, false],
    ['\u001B[1mbold\u001B[22m', 80, false],
    ['{"ok":true,"result":x} or <%= config.bin %>', 80, true],
  ])('%j at %i columns: %s', (text, columns, expected) => {
    expect(fitsUnwrapped(text, columns)).toBe(expected)
    if (expected) expect(wrapAnsi(text, columns, {hard: true})).toBe(text)
  })

  it('agrees with wrap-ansi on every command summary and description at every width it accepts', () => {
    const texts = Object.values(COMMANDS).flatMap((c) => [c.summary ?? '', ...(c.description ?? '').split('\n')])
    let accepted = 0
    for (const text of texts) {
      for (let columns = 20; columns <= 120; columns += 7) {
        if (!fitsUnwrapped(text, columns)) continue
        accepted++
        expect(wrapAnsi(text, columns, {hard: true}), `${JSON.stringify(text)} at ${columns}`).toBe(text)
      }
    }
    expect(accepted).toBeGreaterThan(100)
  })
})

describe('RootHelp', () => {
  /** What a help class prints for `argv`, at a given width (its log lines, as oclif would write them). */
  async function printed(HelpClass: typeof Help, argv: string[], maxWidth: number): Promise<string> {
    const config = await Config.load({root: repoRoot})
    const lines: string[] = []
    const Capturing = class extends HelpClass {
      protected override log(...args: string[]): void {
        lines.push(format(...args))
      }
    }
    await new Capturing(config, {maxWidth, stripAnsi: true}).showHelp(argv)
    return lines.join('\n')
  }

  it.each([40, 80, 120])('prints oclif’s root page at %i columns, then the global flags', async (maxWidth) => {
    const ours = await printed(RootHelp, [], maxWidth)
    const oclifs = await printed(Help, [], maxWidth)
    expect(ours).toBe(`${oclifs}\n${globalFlagsSection()}`)
    expect(ours).toContain('TOPICS')
  })

  it.each([['config'], ['config', 'get'], ['gateway', 'call']])('prints oclif’s page for %j', async (...argv) => {
    const ours = await printed(RootHelp, argv, 80)
    expect(ours).toBe(await printed(Help, argv, 80))
    expect(ours).toContain('USAGE')
  })
})
