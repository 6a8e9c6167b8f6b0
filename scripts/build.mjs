// Builds dist/ with esbuild (our code + zod/json5/chalk bundled, code-split so each command
// loads only what it imports) and writes oclif.manifest.json so oclif never scans commands.
import {build} from 'esbuild'
import {rmSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import path from 'node:path'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const external = ['typescript', 'ts-node', 'ws', 'grammy', 'execa', 'listr2', '@inquirer/prompts', 'conf', 'tar', 'bufferutil', 'utf-8-validate']

rmSync(path.join(root, 'dist'), {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts', 'src/commands.ts'],
  outdir: 'dist',
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

// Generate the manifest from the built command map (oclif builds it when none exists).
rmSync(path.join(root, 'oclif.manifest.json'), {force: true})
const {Config} = await import('@oclif/core')
const config = await Config.load({root})
const plugin = config.getPluginsList().find((p) => p.root === root)
writeFileSync(path.join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n')
