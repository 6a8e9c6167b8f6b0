// How the CLI's code is split over several CommonJS bundles in dist/, so a command reads (and keeps
// in memory, and deserialises the code cache of) only the code it can run. The main bundle
// (openclaw.cjs) holds oclif, zod, the command tree and what `--help`, `config *`, `status` and
// `health` need. Rarely used parts live beside it and are required on first use, from the lazy
// `import()` sites the commands already have:
//   - chunks of our own code (gateway server, agent runtime, ops), which take every module they
//     do not own from the bundle that owns it: a module, and so each class (AppError's
//     `instanceof`), zod schema and piece of module state, exists exactly once;
//   - vendor bundles of heavy third-party libraries, which share nothing with our code.
import {readdirSync} from 'node:fs'
import path from 'node:path'

/** Our own code by chunk: every module under these directories lives in dist/<chunk>.cjs. */
export const CHUNKS = {
  gateway: ['src/runtime/gateway/server', 'src/runtime/gateway/methods', 'src/runtime/gateway/lifecycle', 'src/runtime/channels'],
  agents: ['src/runtime/agents', 'src/runtime/models', 'src/runtime/tools', 'src/runtime/sessions', 'src/runtime/routing', 'src/runtime/chat-commands'],
  ops: ['src/runtime/service', 'src/runtime/doctor', 'src/runtime/backup', 'src/runtime/onboard'],
}

/**
 * Modules under a chunk's directories that stay in the main bundle: `status` reads the agents,
 * the sessions store path and the installed service (its read-only half) on every run.
 */
const KEEP_IN_MAIN = new Set([
  'src/runtime/agents/default-agent.ts',
  'src/runtime/sessions/paths.ts',
  ...['service-summary', 'locate', 'host', 'read-unit', 'scope', 'names', 'render-unit', 'render-template', 'systemd-escape'].map((f) => `src/runtime/service/${f}.ts`),
])

/** Heavy libraries with a bundle of their own (dist/vendor/<name>.cjs); only rare commands use them. */
export const VENDOR = {grammy: 'grammy', tar: 'tar', listr2: 'listr2', '@inquirer/prompts': 'inquirer-prompts', execa: 'execa'}

/**
 * Libraries chunks take from the main bundle rather than bundling a copy. zod is not one of them:
 * the registry would have to keep all of zod's API in the main bundle (+570 KB) where tree-shaking
 * now keeps 200 KB, and zod 4 is built for several copies in one process (its classes answer
 * `instanceof` by trait, its global registry lives on globalThis), so the gateway chunk's method
 * schemas use a copy of their own.
 */
const SHARED_PACKAGES = ['ws', 'json5', 'chalk', '@oclif/core']

export const vendorOut = (name) => `vendor/${VENDOR[name]}.cjs`

/** The chunk that owns a source file (absolute path), or 'main'. */
function ownerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/')
  if (KEEP_IN_MAIN.has(rel)) return 'main'
  for (const [chunk, dirs] of Object.entries(CHUNKS)) if (dirs.some((d) => rel.startsWith(d + '/'))) return chunk
  return 'main'
}

const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')

/** Every .ts module under a chunk's directories, as repo-relative ids. */
function chunkModules(root, chunk) {
  return CHUNKS[chunk].flatMap((dir) =>
    readdirSync(path.join(root, dir), {recursive: true})
      .map((f) => `${dir}/${String(f).split(path.sep).join('/')}`)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !KEEP_IN_MAIN.has(f))
      .sort(),
  )
}

/** A getter per module: the bundle's exports, each module initialised on first access only. */
function registrySource(ids, {esm}) {
  const getters = ids.map((id) => `  get ${JSON.stringify(id)}() { return require(${JSON.stringify(id.startsWith('src/') ? `./${id}` : id)}) },`).join('\n')
  return esm ? `export const __modules = {\n${getters}\n}` : `module.exports = {\n${getters}\n}`
}

/**
 * The esbuild plugin for one bundle (`self`: 'main' or a chunk name). An import of a module that
 * another bundle owns becomes `require('./<bundle>.cjs')` plus a property read, run when the
 * importing module is itself first initialised. `mainNeeds` collects the main-bundle modules the
 * chunks import, which the main bundle then exports.
 */
export function splitPlugin(root, self, mainNeeds) {
  return {
    name: `bundle-split-${self}`,
    setup(b) {
      const names = Object.keys(VENDOR).map((n) => n.replace(/[/.]/g, '\\$&')).join('|')
      // `import {Bot} from 'grammy'` and `await import('execa')` both become a plain require at first use.
      b.onResolve({filter: new RegExp(`^(${names})$`)}, (args) => ({path: args.path, namespace: 'vendor-shim'}))
      b.onLoad({filter: /.*/, namespace: 'vendor-shim'}, (args) => ({contents: `module.exports = require(${JSON.stringify('./' + vendorOut(args.path))})`, loader: 'js'}))
      b.onResolve({filter: /^\.\/.*\.cjs$/, namespace: 'split-shim'}, (args) => ({path: args.path, external: true}))
      b.onResolve({filter: /^\.\/.*\.cjs$/, namespace: 'vendor-shim'}, (args) => ({path: args.path, external: true}))
      b.onLoad({filter: /.*/, namespace: 'split-shim'}, (args) => {
        const [bundle, id] = args.path.split('|')
        const file = bundle === 'main' ? './openclaw.cjs' : `./${bundle}.cjs`
        return {contents: `module.exports = require(${JSON.stringify(file)})${bundle === 'main' ? '.__modules' : ''}[${JSON.stringify(id)}]`, loader: 'js'}
      })
      b.onResolve({filter: /.*/}, async (args) => {
        if (args.pluginData?.split || args.kind === 'entry-point' || (args.namespace !== 'file' && args.namespace !== '')) return undefined
        if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined
        if (!args.path.startsWith('.')) {
          const pkg = packageOf(args.path)
          if (self !== 'main' && SHARED_PACKAGES.includes(pkg) && !args.path.startsWith('node:')) {
            mainNeeds.add(args.path)
            return {path: `main|${args.path}`, namespace: 'split-shim'}
          }
          // The main bundle's registry requires shared packages: resolve them as the ESM imports
          // elsewhere in the bundle do, or zod's CommonJS build would be bundled a second time.
          if (self === 'main' && args.importer === '<stdin>' && args.kind === 'require-call') {
            return b.resolve(args.path, {kind: 'import-statement', resolveDir: args.resolveDir, importer: args.importer, pluginData: {split: true}})
          }
          return undefined
        }
        const resolved = await b.resolve(args.path, {kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: {split: true}})
        if (resolved.errors.length > 0 || resolved.external) return resolved
        const owner = ownerOf(root, resolved.path)
        if (owner === self) return resolved
        const id = path.relative(root, resolved.path).split(path.sep).join('/')
        if (owner === 'main') mainNeeds.add(id)
        return {path: `${owner}|${id}`, namespace: 'split-shim'}
      })
    },
  }
}

/** The esbuild options (beyond the common ones) of each bundle: chunks first, as they tell main what to export. */
export function chunkBuilds(root, mainNeeds) {
  return Object.keys(CHUNKS).map((chunk) => ({
    name: chunk,
    options: {stdin: {contents: registrySource(chunkModules(root, chunk), {esm: false}), resolveDir: root, loader: 'js', sourcefile: `${chunk}-chunk.js`}, outfile: `${chunk}.cjs`, plugins: [splitPlugin(root, chunk, mainNeeds)]},
  }))
}

export function mainBuild(root, mainNeeds, entry) {
  const source = `export * from ${JSON.stringify('./' + entry)}\n${registrySource([...mainNeeds].sort(), {esm: true})}\n`
  return {stdin: {contents: source, resolveDir: root, loader: 'js', sourcefile: 'openclaw-main.js'}, outfile: 'openclaw.cjs', plugins: [splitPlugin(root, 'main', new Set())]}
}

/**
 * grammY's Node shim fetches through node-fetch 2, which requires whatwg-url at load only to fall
 * back to its URL class where `require('url').URL` is missing (Node < 10): its tr46 mapping table
 * alone is ~22 000 array literals, 2.6 MB of heap in every gateway with a Telegram account
 * (heap snapshot diff, 2 idle bots) and 250 KB of bundle. The vendor bundle gets Node's URL in its place.
 */
const nodeUrlForWhatwgUrl = {
  name: 'node-url-for-whatwg-url',
  setup(b) {
    b.onResolve({filter: /^whatwg-url$/}, (args) => (args.importer.includes(`${path.sep}node-fetch${path.sep}`) ? {path: 'whatwg-url', namespace: 'node-url-shim'} : undefined))
    b.onLoad({filter: /.*/, namespace: 'node-url-shim'}, () => ({contents: "module.exports = {URL: require('node:url').URL}", loader: 'js'}))
  },
}

export function vendorBuilds() {
  return Object.keys(VENDOR).map((name) => ({stdin: {contents: `export * from ${JSON.stringify(name)}`, loader: 'js'}, outfile: vendorOut(name), ...(name === 'grammy' ? {plugins: [nodeUrlForWhatwgUrl]} : {})}))
}
