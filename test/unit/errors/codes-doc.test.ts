import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ERROR_CODES} from '../../../src/runtime/errors/codes.js'
import {repoRoot} from '../../helpers/cli.js'

const doc = readFileSync(path.join(repoRoot, 'docs', 'errors.md'), 'utf8')
const sections = new Map(
  doc
    .split(/^## /m)
    .slice(1)
    .map((section) => [section.slice(0, section.indexOf('\n')).trim(), section] as const),
)

describe('docs/errors.md', () => {
  it('documents exactly the codes in the registry', () => {
    expect([...sections.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort())
  })

  it.each(Object.entries(ERROR_CODES))('%s: states its exit code and a fix', (code, info) => {
    const section = sections.get(code) ?? ''
    expect(section).toContain(`Exit ${info.exitCode}.`)
    expect(section).toMatch(/\nFix: \S/)
  })
})
