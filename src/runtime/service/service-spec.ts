import path from 'node:path'

/**
 * What a gateway service runs, independent of the service manager: the command line, the
 * environment and the files (operations.md §4.3, §4.6). Pure: every input is explicit.
 */
export interface ServiceSpecInput {
  scope: 'user' | 'system'
  /** Absolute, resolved path of the Node binary. */
  nodePath: string
  /** Absolute, resolved path of our `bin/run.js`. */
  entryPath: string
  /** The service user's home. */
  home: string
  stateDir: string
  configPath: string
  profile: string | null
  /** Added as `--port <n>` only when the install-time port came from a flag or the env. */
  port: number | null
  heapMiB: number | null
  unitName: string
  envFile: string
  /** `User=`/`Group=` for a system unit. */
  runAs: {user: string; group: string} | null
  /** Extra variables (launchd has no env file, so `--env` values go here). */
  extraEnv?: ReadonlyArray<readonly [string, string]>
}

export interface ServiceSpec extends ServiceSpecInput {
  /** argv[0] is the Node binary. */
  argv: string[]
  env: Array<[string, string]>
}

const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin']
const VERSION_MANAGERS = ['.nvm', '.fnm', '.volta', '.asdf']

export function buildServiceSpec(input: ServiceSpecInput): ServiceSpec {
  const argv = [input.nodePath]
  if (input.heapMiB !== null) argv.push(`--max-old-space-size=${input.heapMiB}`)
  argv.push(input.entryPath, 'gateway', 'run')
  if (input.profile !== null) argv.push('--profile', input.profile)
  if (input.port !== null) argv.push('--port', String(input.port))
  const pathDirs = [...new Set([path.dirname(input.nodePath), ...SYSTEM_PATH])]
  const env: Array<[string, string]> = [
    ['HOME', input.home],
    ['PATH', pathDirs.join(':')],
    ['OPENCLAW_STATE_DIR', input.stateDir],
    ['OPENCLAW_CONFIG_PATH', input.configPath],
  ]
  if (input.profile !== null) env.push(['OPENCLAW_PROFILE', input.profile])
  env.push(['OPENCLAW_SERVICE_MARKER', 'openclaw'], ['OPENCLAW_SERVICE_KIND', 'gateway'], ['OPENCLAW_SYSTEMD_UNIT', input.unitName])
  for (const [key, value] of input.extraEnv ?? []) env.push([key, value])
  return {...input, argv, env}
}

/** The version-manager warning of §4.3, or null when Node lives somewhere stable. */
export function versionManagerWarning(nodePath: string): string | null {
  const parts = nodePath.split(path.sep)
  return VERSION_MANAGERS.some((dir) => parts.includes(dir)) ? `The service uses Node from a version manager (${nodePath}); it breaks if that version is removed.` : null
}
