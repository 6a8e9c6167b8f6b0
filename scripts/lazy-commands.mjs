// The command map as the bundle sees it: src/commands.ts imports every command class (so
// TypeScript, the unit tests and `npm run docs` see plain classes), and this build step turns each
// entry into a getter that requires its module on first access. esbuild then wraps every command
// module in a lazy initialiser, so a start evaluates only the command oclif runs (the manifest
// answers everything else: ids, help, completion): with 49 commands, evaluating them all (their
// classes, flag definitions and the renderers they import) cost ~20 % of `config get`'s CPU time.
import {readFileSync} from 'node:fs'
import path from 'node:path'

const IMPORT = /^import (\w+) from '(\.\/commands\/[\w/-]+\.js)'$/
const ENTRY = /^ {2}('[\w:-]+'|[\w]+): (\w+),$/

/**
 * The lazy version of src/commands.ts. The file must stay what it is today (default imports of
 * command modules, one `export const COMMANDS = {…}` of `id: Class,` lines, comments): anything
 * else fails the build here rather than silently making every start evaluate every command again.
 */
export function lazyCommandMap(source, file = 'src/commands.ts') {
  const fail = (line, why) => {
    throw new Error(`${file}: ${why}: ${JSON.stringify(line)} (scripts/lazy-commands.mjs makes the command map lazy and expects only command imports and \`id: Class,\` entries)`)
  }
  const modules = new Map()
  const getters = []
  let state = 'head'
  for (const line of source.split('\n')) {
    const trimmed = line.trim()
    if (state === 'head') {
      if (trimmed === '' || trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*')) continue
      const imported = IMPORT.exec(line)
      if (imported) {
        modules.set(imported[1], imported[2])
        continue
      }
      if (line === 'export const COMMANDS = {') {
        state = 'map'
        continue
      }
      fail(line, 'unexpected line')
    } else if (state === 'map') {
      if (line === '}') {
        state = 'tail'
        continue
      }
      if (trimmed === '' || trimmed.startsWith('//')) continue
      const entry = ENTRY.exec(line)
      if (!entry) fail(line, 'unexpected command map entry')
      const specifier = modules.get(entry[2])
      if (specifier === undefined) fail(line, `${entry[2]} is not a default import of a command module`)
      const id = entry[1].startsWith("'") ? entry[1] : JSON.stringify(entry[1])
      getters.push(`  get ${id}() {\n    return require(${JSON.stringify(specifier)}).default\n  },`)
    } else if (trimmed !== '') {
      fail(line, 'unexpected line after the command map')
    }
  }
  if (state !== 'tail') fail('', 'no complete `export const COMMANDS = {…}` found')
  if (getters.length !== modules.size) throw new Error(`${file}: ${modules.size} command imports but ${getters.length} map entries`)
  return `// Generated from ${file} by scripts/lazy-commands.mjs: each command module loads on first access.\nexport const COMMANDS = {\n${getters.join('\n')}\n}\n`
}

/** The esbuild plugin that serves the lazy map in place of src/commands.ts (main bundle only). */
export function lazyCommandsPlugin(root) {
  const target = path.join(root, 'src', 'commands.ts')
  return {
    name: 'lazy-commands',
    setup(b) {
      b.onLoad({filter: /[\\/]src[\\/]commands\.ts$/}, (args) => (args.path === target ? {contents: lazyCommandMap(readFileSync(args.path, 'utf8'), 'src/commands.ts'), loader: 'ts', resolveDir: path.dirname(args.path)} : undefined))
    },
  }
}
