import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {generatedReadmeSections, updateReadme} from '../../src/docs.js'
import {repoRoot} from '../helpers/cli.js'

describe('README', () => {
  it('has up-to-date generated sections (run `npm run docs` to refresh)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8')
    expect(updateReadme(readme, generatedReadmeSections())).toBe(readme)
  })
})
