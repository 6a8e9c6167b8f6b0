// Builds dist/ with esbuild (our code + zod/json5/chalk bundled, code-split so each command
// loads only what it imports) and writes oclif.manifest.json so oclif never scans commands.
import {build} from 'esbuild'
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const external = ['typescript', 'ts-node', 'ws', 'grammy', 'execa', 'listr2', '@inquirer/prompts', 'conf', 'tar', 'bufferutil', 'utf-8-validate']

// Build beside dist/ and swap it in, so a concurrent `bin/run.js` never sees a half-written tree.
const outTmp = `dist.tmp-${process.pid}`
rmSync(path.join(root, outTmp), {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts', 'src/commands.ts', 'src/docs.ts'],
  outdir: outTmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  banner: {js: "import {createRequire as __ocCreateRequire} from 'node:module'; const require = __ocCreateRequire(import.meta.url);"},
})

const old = path.join(root, `dist.old-${process.pid}`)
try {
  renameSync(path.join(root, 'dist'), old)
} catch {
  // no previous build
}
renameSync(path.join(root, outTmp), path.join(root, 'dist'))
rmSync(old, {recursive: true, force: true})

// Generate the manifest from the built command map: oclif builds one when none exists (a
// concurrent run meanwhile just loads the command map directly).
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
const {Config} = await import('@oclif/core')
const config = await Config.load({root})
const plugin = config.getPluginsList().find((p) => p.root === root)
const manifestTmp = path.join(root, `oclif.manifest.json.${process.pid}`)
writeFileSync(manifestTmp, JSON.stringify(plugin.manifest, null, 2) + '\n')
renameSync(manifestTmp, path.join(root, 'oclif.manifest.json'))
