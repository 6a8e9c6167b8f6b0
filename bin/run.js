#!/usr/bin/env node
// Entry point. Lifts the global flags out of argv (they are accepted before or after the command
// words), answers --version without loading oclif or the runtime, then hands over to oclif.
import {readFileSync, renameSync, writeFileSync} from 'node:fs'

// A closed pipe (`openclaw config schema | head -1`) ends the process quietly with 0, as git and
// ls do; without this Node reports EPIPE as an error (or exits 13 with the output unsettled).
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})
process.stderr.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error
})

// Kept in step with LOG_LEVELS (src/runtime/logging/levels.ts) by test/e2e/cli-unix.e2e.ts.
const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']
const argv = process.argv.slice(2)
const rest = []
const env = process.env
let wantsVersion = false

for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]
  if (arg === '--') {
    rest.push(...argv.slice(i))
    break
  }
  const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
  const takeValue = () => {
    if (inline !== undefined) return inline
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('-')) {
      usageExit(`${name} needs a value`, `openclaw ${name} <value> --help`)
    }
    i++
    return next
  }
  if (name === '--profile') env.OPENCLAW_CLI_PROFILE = takeValue()
  else if (name === '--dev') env.OPENCLAW_CLI_DEV = '1'
  else if (name === '--log-level') env.OPENCLAW_LOG_LEVEL = logLevel(takeValue())
  else if (name === '--no-color') env.NO_COLOR = '1'
  else if (name === '--debug') env.OPENCLAW_CLI_DEBUG = '1'
  // -v/--version and -h/--help work before or after the command words (operations.md §1.1).
  else if (name === '--version' || name === '-v') wantsVersion = true
  else if (name === '-h') rest.push('--help')
  else rest.push(arg)
}

if (wantsVersion && !rest.includes('--help')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`openclaw/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  if (env.OPENCLAW_CLI_DEV === '1' && !env.OPENCLAW_GATEWAY_PORT) {
    env.OPENCLAW_GATEWAY_PORT = '19001'
    // Marks the port as --dev's, so `config get gateway.port` does not warn about a variable the user never set.
    env.OPENCLAW_CLI_DEV_PORT = '1'
  }
  // `openclaw gateway` alone (or with only flags) means `gateway run`.
  if (rest[0] === 'gateway' && (rest.length === 1 || rest[1].startsWith('-')) && !rest.includes('--help') && !rest.includes('-h')) {
    rest.splice(1, 0, 'run')
  }
  const gatewayRun = rest[0] === 'gateway' && rest[1] === 'run' && !rest.includes('--help') && !rest.includes('-h')
  const {runCli} = await loadBundle({gatewayRun, debug: env.OPENCLAW_CLI_DEBUG === '1'})
  await runCli(rest, import.meta.url)
}

/**
 * Loads dist/openclaw.cjs through V8's code cache (dist/openclaw.cjs.cache, written by the build's
 * warm runs), registering it in the CommonJS module cache so oclif's `require` of the command map
 * finds this same instance. A cache made by another Node version is rejected by V8 and the
 * bundle simply compiles as usual. `gatewayRun` tunes V8 for the long-lived gateway process.
 */
async function loadBundle({gatewayRun, debug}) {
  if (debug) {
    // Stack traces through the bundle's source map point at src/ (only for --debug: costs ~10 ms).
    process.setSourceMapsEnabled(true)
    const {createRequire} = await import('node:module')
    return createRequire(import.meta.url)('../dist/openclaw.cjs')
  }
  const [{default: Module, createRequire}, {default: vm}, {fileURLToPath}, {default: path}] = await Promise.all([
    import('node:module'), import('node:vm'), import('node:url'), import('node:path'),
  ])
  const file = fileURLToPath(new URL('../dist/openclaw.cjs', import.meta.url))
  // vm.constants exists from Node 20.12; older 20.x (engines allows >=20.5) loads the bundle
  // with a plain require: no code cache, same behaviour.
  if (vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined) return createRequire(import.meta.url)(file)
  const cacheFile = file + '.cache'
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  // The file is its own CommonJS wrapper (scripts/main-bundle.mjs): its value is the module function.
  const script = new vm.Script(readFileSync(file, 'utf8'), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const mod = new Module(file, null)
  mod.filename = file
  mod.paths = Module._nodeModulePaths(path.dirname(file))
  Module._cache[file] = mod
  if (env.OPENCLAW_CODE_CACHE_WRITE !== '1') {
    const v8 = () => createRequire(file)('node:v8')
    keepWasmBaseline(v8)
    if (gatewayRun) {
      tuneGatewayTiering(v8())
      startHeapBudget(v8())
    }
  }
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file))
  mod.loaded = true
  if (env.OPENCLAW_CODE_CACHE_WRITE === '1') {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}`
      writeFileSync(tmp, script.createCachedData())
      renameSync(tmp, cacheFile)
    })
  }
  return mod.exports
}

/** The --log-level value, or exit 2 as `gateway run` does for a name that is not a level. */
function logLevel(value) {
  if (LOG_LEVELS.includes(value)) return value
  usageExit(`--log-level must be one of ${LOG_LEVELS.join('|')}, got "${value}"`, ['openclaw', ...argv.map((a) => (a === value ? 'info' : a))].join(' '))
}

/** A usage error found before oclif loads, in the house format (one envelope under --json). */
function usageExit(message, hint) {
  if (argv.includes('--json')) {
    const error = {type: 'cli_error', code: 'USAGE', message, hint: [hint], exitCode: 2, details: {}}
    process.stdout.write(JSON.stringify({ok: false, error, warnings: []}) + '\n')
  } else {
    process.stderr.write(`Error (USAGE): ${message}\nTry this:\n  * ${hint}\n`)
  }
  process.exit(2)
}

/**
 * A short command that calls fetch (agent, models probes) compiles undici's llhttp WebAssembly
 * parser; V8 then recompiles its hot functions with TurboFan on background threads, and Node's
 * exit waits for those jobs: 150–400 ms of wall time after the last output (measured with strace:
 * the main thread blocked on the platform worker after the event loop was empty; process.exit()
 * does not skip the wait). Liftoff's baseline code parses a few model replies just as well, so
 * short-lived commands never start the optimizing wasm compiler. The gateway too: there the
 * optimizing compile of the parser took ~400 ms of CPU on the first model reply and left ~9 MB of
 * RSS in the compiler threads' malloc arenas (bench `agent`), for a parser that reads a few KB per turn.
 * The flag is set on the first fetch call (Node's global fetch loads undici, and so compiles the
 * parser, on its first call), not at start: any V8 flag change makes Node reject the embedded code
 * cache of each builtin module loaded afterwards, and a start that never fetches (`--help`,
 * `config get`: tty, readline, child_process, crypto, … load after this point) would compile those
 * from source, +5 % of `config get`'s instructions. Same rules as the gateway tuning: never in
 * cache-writing runs, never over the user's flags.
 */
function keepWasmBaseline(v8) {
  const own = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ')
  if (/--(liftoff|wasm-tier-up|wasm-dynamic-tiering|jitless)\b/.test(own)) return
  const nodeFetch = globalThis.fetch
  if (typeof nodeFetch !== 'function') return
  let tuned = false
  globalThis.fetch = function fetch(input, init) {
    if (!tuned) {
      tuned = true
      v8().setFlagsFromString('--liftoff-only')
      if (globalThis.fetch === fetch) globalThis.fetch = nodeFetch
    }
    return nodeFetch(input, init)
  }
}

/**
 * The gateway's heap budget (src/runtime/gateway/lifecycle/heap-budget.ts explains it, and its flag
 * list is kept in step with this one) starts here: the old generation grows at most 25% past what
 * survived each full GC, and the young generation stays at its initial 1 MB semi-spaces through
 * start-up, whose long synchronous stretches (module evaluation, config parsing) would otherwise
 * double them to 8 MB, RSS an idle gateway keeps. Once ready, the gateway lets them grow to a cap.
 * `OPENCLAW_GATEWAY_V8_HEAP=default` keeps V8's own sizing.
 */
function startHeapBudget(v8) {
  const own = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ')
  if (env.OPENCLAW_GATEWAY_V8_HEAP === 'default' || /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|optimize-for-size)\b/.test(own)) return
  v8.setFlagsFromString('--heap-growing-percent=25')
  v8.setFlagsFromString('--semi-space-growth-factor=1')
}

/**
 * V8's defaults suit short scripts: a function that has run ~66 KB of bytecode goes to the
 * optimizing compiler. In the gateway that catches start-up code that runs once (mapping ~3 MB
 * of compiler code into an idle gateway) and, on a 2-core machine, puts 0.3–10 ms compile jobs
 * beside the event loop during the first few thousand requests. A 4× budget leaves optimization
 * to code that stays hot (sustained load still gets it). Functions that got their budget before
 * this ran (Node's own path helpers) still went to TurboFan on their first tick as "small
 * functions", mapping the compiler into every idle gateway (node's code pages 17.7 → 20.9 MB
 * RSS): small functions wait for the usual ticks too. Applied after the code cache check (V8
 * rejects a cache made under other flags, so never in the build's cache-writing runs either) and
 * never over the user's own tiering flags.
 */
function tuneGatewayTiering(v8) {
  const own = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ')
  if (/--(interrupt-budget|max-opt|(no-)?opt|(no-)?turbofan|jitless|max-bytecode-size-for-early-opt)\b/.test(own)) return
  v8.setFlagsFromString('--interrupt-budget=270336')
  v8.setFlagsFromString('--max-bytecode-size-for-early-opt=0')
}
