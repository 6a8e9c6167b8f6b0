import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {COMMANDS} from '../../src/commands.js'
import {binPath, makeTempHome, repoRoot, type TempHome} from '../helpers/cli.js'

// What the gateway transport (ws) and the network stack need at load time; a command that only
// reads config must not load any of it.
const NETWORK_MODULES = ['http', 'https', 'net', 'tls', 'zlib']

let t: TempHome
beforeEach(() => {
  t = makeTempHome()
})
afterEach(() => t.cleanup())

function probe(args: string[]): {required: string[]; bundleLoaded: boolean; loaded: string[]; status: number | null} {
  const out = path.join(t.home, 'probe.json')
  const r = spawnSync(process.execPath, ['-r', path.join(repoRoot, 'test', 'fixtures', 'module-probe.cjs'), binPath, ...args], {
    env: {...t.env, MODULE_PROBE_OUT: out},
    cwd: t.home,
    encoding: 'utf8',
  })
  return {...JSON.parse(readFileSync(out, 'utf8')), status: r.status}
}

const dist = path.join(repoRoot, 'dist')

// Heavy parts only rare commands need, by where their code comes from. The build puts each in a
// bundle of its own (scripts/bundle-split.mjs), so a command loads one only by requiring that file.
const HEAVY: Record<string, string> = {
  grammY: 'node_modules/grammy/',
  listr2: 'node_modules/listr2/',
  inquirer: 'node_modules/@inquirer/',
  tar: 'node_modules/tar/',
  'the agent run loop': 'src/runtime/agents/run/',
}

/** The dist bundles (relative paths) whose source map names a file under `prefix` (not a shim that requires another bundle). */
function bundlesHolding(prefix: string): string[] {
  const maps = readdirSync(dist, {recursive: true}).map(String).filter((f) => f.endsWith('.cjs.map'))
  return maps.filter((m) => (JSON.parse(readFileSync(path.join(dist, m), 'utf8')) as {sources: string[]}).sources.some((s) => s.replace(/^(\.\.\/)+/, '').startsWith(prefix))).map((m) => m.replace(/\.map$/, ''))
}

/** Which of the heavy parts a run loaded: those whose bundle (every bundle holding them) it required. */
function heavyLoaded(loaded: string[], holders: Record<string, string[]>): string[] {
  return Object.keys(HEAVY).filter((name) => holders[name].some((bundle) => loaded.includes(path.join(dist, bundle))))
}

describe('start-up cost', () => {
  it('--version loads neither oclif nor the runtime bundle', () => {
    const r = probe(['--version'])
    expect(r.status).toBe(0)
    expect(r.bundleLoaded).toBe(false)
  })

  it.each([
    [['config', 'get', 'gateway.port']],
    [['config', 'validate']],
    [['--help']],
  ])('%j loads no network modules (no ws, no gateway)', (args) => {
    const r = probe(args)
    expect(r.status).toBe(0)
    expect(r.bundleLoaded).toBe(true)
    expect(r.required.filter((m) => NETWORK_MODULES.includes(m))).toEqual([])
  })

  it('the main bundle is pure ASCII (V8 decodes it with a block copy, not character by character)', () => {
    const bytes = readFileSync(path.join(dist, 'openclaw.cjs'))
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1)
  })

  it('the probe does see ws when a command really uses the gateway client', () => {
    const r = probe(['gateway', 'call', 'health', '--url', 'ws://127.0.0.1:9', '--token', 'x', '--timeout', '300'])
    expect(r.required).toEqual(expect.arrayContaining(['http', 'net']))
  })

  describe('the heavy parts stay out of the common commands', () => {
    const holders = Object.fromEntries(Object.entries(HEAVY).map(([name, prefix]) => [name, bundlesHolding(prefix)]))

    it('each heavy part lives only in bundles of its own, never in the main bundle every command loads', () => {
      for (const [name, bundles] of Object.entries(holders)) {
        expect(bundles.length, `${name}: no dist bundle's source map names ${HEAVY[name]}`).toBeGreaterThan(0)
        expect(bundles, name).not.toContain('openclaw.cjs')
      }
      expect(existsSync(path.join(dist, 'openclaw.cjs.map'))).toBe(true)
    })

    it.each([[['config', 'get', 'gateway.port']], [['--help']], [['config', 'validate']]])('%j loads none of them', (args) => {
      const r = probe(args)
      expect(r.status).toBe(0)
      expect(heavyLoaded(r.loaded, holders)).toEqual([])
    })

    it('the probe does see them when a command uses one (backup create: tar)', () => {
      const r = probe(['backup', 'create', '--output', path.join(t.home, 'b.tar.gz')])
      expect(r.status).toBe(0)
      expect(heavyLoaded(r.loaded, holders)).toEqual(['tar'])
    })
  })

  describe('a start reads the routing manifest; help reads the full one', () => {
    const routes = JSON.parse(readFileSync(path.join(dist, 'oclif.routes.json'), 'utf8')) as {commands: Record<string, Record<string, unknown>>}
    const full = JSON.parse(readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, Record<string, unknown>>}

    it('the routing manifest lists every command, without flags, descriptions or examples', () => {
      expect(Object.keys(routes.commands)).toEqual(Object.keys(full.commands))
      for (const command of Object.values(routes.commands)) {
        expect(command).toHaveProperty('summary')
        expect(command).not.toHaveProperty('flags')
        expect(command).not.toHaveProperty('examples')
      }
    })

    /** A copy of the installed package, as much of it as `config get` reads, without oclif.manifest.json (the full manifest). */
    function installWithoutFullManifest(): string {
      const root = path.join(t.home, 'pkg')
      mkdirSync(path.join(root, 'bin'), {recursive: true})
      mkdirSync(path.join(root, 'dist'))
      copyFileSync(binPath, path.join(root, 'bin', 'run.js'))
      copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'))
      for (const file of ['openclaw.cjs', 'openclaw.cjs.cache', 'oclif.routes.json']) copyFileSync(path.join(dist, file), path.join(root, 'dist', file))
      return path.join(root, 'bin', 'run.js')
    }

    it('config get runs without the full manifest; --help then says which file is missing', () => {
      const bin = installWithoutFullManifest()
      const get = spawnSync(process.execPath, [bin, 'config', 'get', 'gateway.port'], {env: t.env, cwd: t.home, encoding: 'utf8'})
      expect(get.stderr).toBe('')
      expect(get.stdout).toBe('18789\n')
      expect(get.status).toBe(0)
      const help = spawnSync(process.execPath, [bin, 'config', 'get', '--help'], {env: t.env, cwd: t.home, encoding: 'utf8'})
      expect(help.stderr).toContain(`cannot read the command manifest ${path.join(t.home, 'pkg', 'oclif.manifest.json')}`)
      expect(help.stderr).toContain('npm run build')
      expect(help.status).toBe(70)
    })

    it('help pages show what only the full manifest holds (flags, examples)', () => {
      const help = spawnSync(process.execPath, [binPath, 'config', 'get', '--help'], {env: t.env, cwd: t.home, encoding: 'utf8'})
      expect(help.status).toBe(0)
      expect(help.stdout).toContain('--authored')
      expect(help.stdout).toContain('$ openclaw config get gateway.port')
    })
  })

  describe('a start evaluates only the command class it runs', () => {
    // Command class name -> id. The bundle keeps class names (esbuild keepNames), which is what the probe sees.
    const idOf = new Map(Object.entries(COMMANDS).map(([id, command]) => [command.name, id]))

    /** The names of the classes and functions a run of the real binary defined, and its exit status. */
    function functionsNamed(args: string[]): {named: string[]; status: number | null; stderr: string} {
      const out = path.join(t.home, 'classes.json')
      const r = spawnSync(process.execPath, ['-r', path.join(repoRoot, 'test', 'fixtures', 'class-probe.cjs'), binPath, ...args], {
        env: {...t.env, CLASS_PROBE_OUT: out},
        cwd: t.home,
        encoding: 'utf8',
      })
      return {named: JSON.parse(readFileSync(out, 'utf8')) as string[], status: r.status, stderr: r.stderr}
    }

    /** The ids of the command classes a run of the real binary evaluated. */
    function commandsEvaluated(args: string[]): string[] {
      const {named, status, stderr} = functionsNamed(args)
      expect(status, stderr).toBe(0)
      return named.filter((name) => idOf.has(name)).map((name) => idOf.get(name) as string)
    }

    // The error text is coloured (chalk); a command that succeeds never evaluates either.
    const ERROR_TEXT = ['renderErrorText', 'createChalk']

    it("oclif's glob library (command discovery by file pattern; openclaw's map is explicit) is bundled but never evaluated", () => {
      const GLOB = ['picomatch', 'globSync']
      const bundle = readFileSync(path.join(dist, 'openclaw.cjs'), 'utf8')
      for (const name of GLOB) expect(bundle).toContain(`"${name}"`)
      for (const args of [['config', 'get', 'gateway.port'], ['--help']]) {
        const run = functionsNamed(args)
        expect(run.status).toBe(0)
        expect(run.named.filter((name) => GLOB.includes(name))).toEqual([])
      }
    })

    it('a successful config get evaluates neither the error renderer nor chalk; a failing one does', () => {
      const ok = functionsNamed(['config', 'get', 'gateway.port'])
      expect(ok.status).toBe(0)
      expect(ok.named.filter((name) => ERROR_TEXT.includes(name))).toEqual([])
      const failed = functionsNamed(['config', 'get', 'gateway.nope'])
      expect(failed.status).toBe(1)
      expect(failed.stderr).toContain('Error (CONFIG_PATH_NOT_FOUND)')
      expect(failed.named.filter((name) => ERROR_TEXT.includes(name)).sort()).toEqual([...ERROR_TEXT].sort())
    })

    it.each([
      [['config', 'get', 'gateway.port'], ['config:get']],
      [['config', 'validate'], ['config:validate']],
      [['status', '--json'], ['status']],
      [['help', 'config', 'get'], ['help']],
      // Help pages come from the manifest: no command class at all.
      [['--help'], []],
      [['config', 'get', '--help'], []],
    ])('%j evaluates %j', (args, expected) => {
      expect(idOf.size).toBe(Object.keys(COMMANDS).length)
      expect(commandsEvaluated(args)).toEqual(expected)
    })
  })
})
