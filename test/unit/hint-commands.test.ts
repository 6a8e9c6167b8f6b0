// Issue 9 item 5: no hint can point nowhere. Every `openclaw <command>` named in the source (error
// messages, hints, warnings, startup checks, log lines), the codes registry, README.md and docs/
// must be a command of the tree in src/commands.ts (or a topic of it).
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {COMMANDS} from '../../src/commands.js'
import {repoRoot} from '../helpers/cli.js'
import {commandMentions} from './hint-mentions.js'

const ids = Object.keys(COMMANDS)

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(path.join(repoRoot, dir), {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f))
}

const sources = [...filesUnder('src', '.ts'), 'README.md', ...filesUnder('docs', '.md')]

describe('commands named in hints and docs exist', () => {
  it('finds mentions to check (the scan works)', () => {
    const all = sources.flatMap((file) => commandMentions(readFileSync(path.join(repoRoot, file), 'utf8'), ids))
    expect(all.length).toBeGreaterThan(50)
  })

  it.each(sources)('%s names only commands that exist', (file) => {
    const unknown = commandMentions(readFileSync(path.join(repoRoot, file), 'utf8'), ids).filter((m) => !m.exists)
    expect(unknown.map((m) => `line ${m.line}: ${m.text}`)).toEqual([])
  })

  it.each([
    ['openclaw frobnicate --fix', false],
    ['see: openclaw gateway start', false],
    ['run: openclaw config validate', true],
    ['openclaw --profile work config get gateway.port', true],
    ['openclaw gateway --token x', true],
    ['another openclaw process holds the lock', true],
    ['openclaw config frob', false],
    ['Try `openclaw config`', true],
  ])('the scan judges %j as existing: %s', (text, exists) => {
    const mentions = commandMentions(text, ['config:get', 'config:validate', 'gateway:run', 'status'])
    expect(mentions.every((m) => m.exists)).toBe(exists)
  })
})
