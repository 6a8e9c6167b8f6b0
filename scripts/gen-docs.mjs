// `npm run docs`: regenerates the README's command and config references from the code.
import {readFileSync, writeFileSync} from 'node:fs'

const {generatedReadmeSections, updateReadme} = await import('../dist/docs.mjs')
const file = new URL('../README.md', import.meta.url)
const before = readFileSync(file, 'utf8')
const after = updateReadme(before, generatedReadmeSections())
if (after !== before) writeFileSync(file, after)
console.log(after === before ? 'README.md is up to date' : 'README.md updated')
