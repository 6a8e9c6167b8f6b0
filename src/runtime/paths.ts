import {existsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {AppError} from './errors/app-error.js'

/**
 * Every directory and file name openclaw uses, with the env overrides (config.md §1, §11).
 * This is the only module that reads HOME, the working directory or the OPENCLAW_* path
 * variables; everything else receives a `ResolvedPaths`.
 */

export type Env = Readonly<Record<string, string | undefined>>

/** Env vars bin/run.js uses to hand the lifted global flags `--profile` / `--dev` to the runtime. */
export const CLI_PROFILE_FLAG_ENV = 'OPENCLAW_CLI_PROFILE'
export const CLI_DEV_FLAG_ENV = 'OPENCLAW_CLI_DEV'

export const PATH_ENV_VARS = ['OPENCLAW_HOME', 'OPENCLAW_STATE_DIR', 'OPENCLAW_CONFIG_PATH', 'OPENCLAW_PROFILE'] as const

const PROFILE_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/
const CONFIG_NAMES = ['openclaw.json', 'clawdbot.json', 'moltbot.json', 'moldbot.json'] as const
const LEGACY_STATE_DIRS = ['.clawdbot', '.moltbot', '.moldbot'] as const

export interface PathInputs {
  env: Env
  cwd: string
  /** `--profile <name>` from the command line. */
  profileFlag?: string
  /** `--dev` from the command line. */
  dev?: boolean
}

export interface ResolvedPaths {
  home: string
  /** Lower-case profile name, or null for the default profile. */
  profile: string | null
  profileSource: 'flag' | 'env' | null
  stateDir: string
  configPath: string
  /** The legacy dir name (`.clawdbot`) when one is read in place, else null. */
  legacyStateDir: string | null
  /** Extra `$include` roots from OPENCLAW_INCLUDE_ROOTS. */
  includeRoots: string[]
  /** OPENCLAW_WORKSPACE_DIR, expanded, when set. */
  workspaceDir: string | null
  cwd: string
  /** One-line stderr notices the CLI prints once (profile overrides, legacy dirs). */
  notices: string[]
}

/** Treats empty, whitespace-only, "undefined" and "null" as unset (config.md §1.1). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (trimmed === '' || trimmed === 'undefined' || trimmed === 'null') return undefined
  return value
}

/** Expands a leading `~` to `home`. */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2))
  return p
}

/** Resolves a config value of type `path`: `~` expanded, relative to the state dir. */
export function resolveStatePath(p: string, paths: Pick<ResolvedPaths, 'home' | 'stateDir'>): string {
  return path.resolve(paths.stateDir, expandHome(p, paths.home))
}

/** Shortens a path under home to `~/…` for human output. */
export function tildify(p: string, home: string): string {
  if (p === home) return '~'
  return p.startsWith(home + path.sep) ? '~' + p.slice(home.length) : p
}

export function normalizeProfile(name: string): string | null {
  const lower = name.trim().toLowerCase()
  if (!PROFILE_RE.test(lower)) {
    throw new AppError('PROFILE_INVALID', `invalid profile name "${name}": use 1-64 letters, digits, "-" or "_", starting with a letter or digit`, {
      hint: ['openclaw --profile work status'],
    })
  }
  return lower === 'default' ? null : lower
}

function resolveHome(env: Env): string {
  const osHome = envValue(env, 'HOME') ?? envValue(env, 'USERPROFILE') ?? os.homedir()
  const override = envValue(env, 'OPENCLAW_HOME')
  // `OPENCLAW_HOME=~/sandbox` means the OS user's home, not itself.
  return path.resolve(override === undefined ? osHome : expandHome(override.trim(), path.resolve(osHome)))
}

export function resolvePaths(inputs: PathInputs): ResolvedPaths {
  const {env, cwd} = inputs
  const home = resolveHome(env)
  const notices: string[] = []
  const expand = (p: string) => path.resolve(cwd, expandHome(p, home))

  let profile: string | null = null
  let profileSource: ResolvedPaths['profileSource'] = null
  const flagProfile = inputs.profileFlag === undefined ? undefined : normalizeProfile(inputs.profileFlag)
  if (inputs.dev && flagProfile !== undefined && flagProfile !== 'dev') {
    throw new AppError('USAGE', `--dev and --profile ${inputs.profileFlag} can't be combined`, {hint: ['openclaw --dev <command>  or  openclaw --profile <name> <command>']})
  }
  if (inputs.dev) {
    profile = 'dev'
    profileSource = 'flag'
  } else if (flagProfile !== undefined) {
    profile = flagProfile
    profileSource = flagProfile === null ? null : 'flag'
  } else {
    const envProfile = envValue(env, 'OPENCLAW_PROFILE')
    if (envProfile !== undefined) {
      profile = normalizeProfile(envProfile)
      profileSource = profile === null ? null : 'env'
    }
  }

  const envStateDir = envValue(env, 'OPENCLAW_STATE_DIR')
  const envConfigPath = envValue(env, 'OPENCLAW_CONFIG_PATH')
  const profileDir = profile === null ? null : path.join(home, `.openclaw-${profile}`)
  let stateDir: string
  let legacyStateDir: string | null = null
  if (profileSource === 'flag' && profileDir !== null) {
    stateDir = profileDir
    if (envStateDir !== undefined && expand(envStateDir) !== profileDir) {
      notices.push(`--profile ${profile} overrides OPENCLAW_STATE_DIR=${envStateDir}`)
    } else if (envConfigPath !== undefined && path.dirname(expand(envConfigPath)) !== profileDir) {
      notices.push(`--profile ${profile} overrides OPENCLAW_CONFIG_PATH=${envConfigPath}`)
    }
  } else if (envStateDir !== undefined) {
    stateDir = expand(envStateDir)
  } else if (profileDir !== null) {
    stateDir = profileDir
  } else {
    stateDir = path.join(home, '.openclaw')
    if (!existsSync(stateDir)) {
      const legacy = LEGACY_STATE_DIRS.find((name) => existsSync(path.join(home, name)))
      if (legacy !== undefined) {
        stateDir = path.join(home, legacy)
        legacyStateDir = legacy
        notices.push(`Using legacy state dir ~/${legacy}; move it by hand: mv ~/${legacy} ~/.openclaw`)
      }
    }
  }

  let configPath: string
  if (envConfigPath !== undefined && profileSource !== 'flag') {
    configPath = expand(envConfigPath)
  } else {
    const existing = CONFIG_NAMES.map((name) => path.join(stateDir, name)).find((p) => existsSync(p))
    configPath = existing ?? path.join(stateDir, 'openclaw.json')
  }

  const rootsValue = envValue(env, 'OPENCLAW_INCLUDE_ROOTS')
  const includeRoots = rootsValue === undefined ? [] : rootsValue.split(path.delimiter).filter((p) => p.trim() !== '').map((p) => expand(p))
  const workspaceValue = envValue(env, 'OPENCLAW_WORKSPACE_DIR')

  return {
    home,
    profile,
    profileSource,
    stateDir,
    configPath,
    legacyStateDir,
    includeRoots,
    workspaceDir: workspaceValue === undefined ? null : expand(workspaceValue),
    cwd,
    notices,
  }
}

/** This process's working directory; the home directory when it was deleted under us. */
export function currentDir(env: Env = process.env): string {
  try {
    return process.cwd()
  } catch {
    return resolveHome(env)
  }
}

/** Reads the inputs from this process: its env, cwd and the global flags bin/run.js lifted. */
export function pathInputsFromProcess(env: Env = process.env): PathInputs {
  return {
    env,
    cwd: currentDir(env),
    profileFlag: envValue(env, CLI_PROFILE_FLAG_ENV),
    dev: env[CLI_DEV_FLAG_ENV] === '1',
  }
}

/** Fixed names inside the state dir (config.md §11). */
export function stateFiles(stateDir: string) {
  const locks = path.join(stateDir, 'locks')
  return {
    dotenv: path.join(stateDir, '.env'),
    locksDir: locks,
    gatewayLock: path.join(locks, 'gateway.lock'),
    stateLock: path.join(locks, 'state.lock'),
    logsDir: path.join(stateDir, 'logs'),
    credentialsDir: path.join(stateDir, 'credentials'),
    agentsDir: path.join(stateDir, 'agents'),
    backupsDir: path.join(stateDir, 'backups'),
    identityDir: path.join(stateDir, 'identity'),
  }
}

/**
 * Test-only: OPENCLAW_TEST_SYSTEM_ROOT prefixes the system paths the service installer touches
 * (`/etc/systemd/system`, `/etc/openclaw`, the `/run/systemd/system` probe, `/run/user/<uid>`),
 * so e2e tests run against a temp tree. Never set it outside tests.
 */
export function serviceSystemPaths(env: Env) {
  const root = envValue(env, 'OPENCLAW_TEST_SYSTEM_ROOT') ?? '/'
  return {
    systemdSystemDir: path.join(root, 'etc/systemd/system'),
    etcOpenclawDir: path.join(root, 'etc/openclaw'),
    systemdRunningProbe: path.join(root, 'run/systemd/system'),
    runUserDir: (uid: number) => path.join(root, 'run/user', String(uid)),
    /** The user-scope unit dir: `${XDG_CONFIG_HOME:-~/.config}/systemd/user`. */
    userUnitDir: (home: string) => path.join(envValue(env, 'XDG_CONFIG_HOME') ?? path.join(home, '.config'), 'systemd/user'),
    launchAgentsDir: (home: string) => path.join(home, 'Library/LaunchAgents'),
  }
}
