// Builds dist/: one CommonJS bundle of the CLI (oclif, zod, ws and our code; modules inside it
// are initialised lazily, so a command evaluates only what it imports), the oclif manifest, and
// a V8 code cache for the bundle made by warm runs of the common commands. bin/run.js loads the
// bundle through that cache: loading oclif + zod drops from ~75 ms to ~25 ms.
import {build} from 'esbuild'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {asciiRegexLiterals, assertAscii, selfWrapping} from './main-bundle.mjs'
import {chunkBuilds, mainBuild, vendorBuilds} from './bundle-split.mjs'
import {lazyCommandsPlugin} from './lazy-commands.mjs'
import {oclifPluginPatches, writeManifests} from './oclif-patches.mjs'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const external = ['typescript', 'ts-node', 'bufferutil', 'utf-8-validate']

// zod's classic API re-exports every locale (~60 modules); openclaw's messages are English and
// never use z.locales, so the index resolves to English alone.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? {path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js')} : undefined,
    )
  },
}

// Build beside dist/ and swap it in, so a concurrent `bin/run.js` never sees a half-written tree.
const outTmp = path.join(root, `dist.tmp-${process.pid}`)
rmSync(outTmp, {recursive: true, force: true})
// A failed build leaves no half-written tree behind (lint and the next build would trip over it).
process.once('exit', () => rmSync(outTmp, {recursive: true, force: true}))
const common = {absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', external, logLevel: 'warning', plugins: [zodEnglishOnly, oclifPluginPatches, asciiRegexLiterals]}
// The split (scripts/bundle-split.mjs): chunks first, since they tell the main bundle which of its
// modules to export to them; vendor bundles beside them.
const mainNeeds = new Set()
const cjs = (extra) => build({...common, ...extra, plugins: [...common.plugins, ...(extra.plugins ?? [])], outfile: path.join(outTmp, extra.outfile), format: 'cjs', minify: !process.env.BUILD_NO_MINIFY, keepNames: true})
await Promise.all([...chunkBuilds(root, mainNeeds).map(({options}) => cjs({...options, sourcemap: 'linked'})), ...vendorBuilds().map((options) => cjs({...options, stdin: {...options.stdin, resolveDir: root}, sourcemap: 'linked', sourcesContent: false}))])
// The command map loads each command's module on first access (scripts/lazy-commands.mjs).
const mainOptions = mainBuild(root, mainNeeds, 'src/cli.ts')
const main = await cjs({...mainOptions, ...selfWrapping, plugins: [lazyCommandsPlugin(root), ...mainOptions.plugins], sourcemap: 'linked', metafile: Boolean(process.env.BUILD_METAFILE)})
if (process.env.BUILD_METAFILE) writeFileSync(process.env.BUILD_METAFILE, JSON.stringify(main.metafile))
// Unminified (profiling) builds keep comments, whose text may be anything.
if (!process.env.BUILD_NO_MINIFY) assertAscii(path.join(outTmp, 'openclaw.cjs'))
// Build tooling only (npm run docs): not on any command's path.
await build({...common, entryPoints: ['src/docs.ts'], outfile: path.join(outTmp, 'docs.mjs'), format: 'esm', banner: {js: "import {createRequire} from 'node:module'; const require = createRequire(import.meta.url);"}})

const old = path.join(root, `dist.old-${process.pid}`)
try {
  renameSync(path.join(root, 'dist'), old)
} catch {
  // no previous build
}
renameSync(outTmp, path.join(root, 'dist'))
rmSync(old, {recursive: true, force: true})

// The manifest, from the built command map: oclif builds one when none exists (a concurrent
// run meanwhile just loads the command map directly).
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
const {Config} = await import('@oclif/core')
const config = await Config.load({root})
const plugin = config.getPluginsList().find((p) => p.root === root)
writeManifests(root, plugin.manifest)

// The code cache: each warm run loads the cache the previous one wrote and adds the functions it
// compiled, so the last one covers them all. Runs happen in a throwaway HOME, on loopback only.
const home = mkdtempSync(path.join(os.tmpdir(), 'openclaw-build-'))
const env = {PATH: process.env.PATH, HOME: home, TMPDIR: home, OPENCLAW_CODE_CACHE_WRITE: '1'}
const warmRuns = [
  ['--help'],
  ['config', 'get', 'gateway.port'],
  ['config', 'validate', '--json'],
  ['config', 'set', 'gateway.mode', 'local'],
  ['config', 'get', 'gateway.mode', '--json'],
  ['gateway', 'call', 'health', '--url', 'ws://127.0.0.1:9', '--token', 'x', '--timeout', '500'],
]
for (const args of warmRuns) spawnSync(process.execPath, [path.join(root, 'bin', 'run.js'), ...args], {env, cwd: home, stdio: 'ignore', timeout: 20_000})
rmSync(home, {recursive: true, force: true})
