import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'

import {patchConfig} from '../config/edit/config-patch.js'
import {resolveGatewayAuth} from '../config/gateway-settings.js'
import {loadConfig, type LoadedConfig} from '../config/load.js'
import {AppError} from '../errors/app-error.js'
import {stateFiles, type ResolvedPaths} from '../paths.js'

export interface PreflightResult {
  loaded: LoadedConfig
  /** Human notes: what the preflight set in the config. */
  notices: string[]
  /** Config paths it wrote. */
  changed: string[]
}

/**
 * Install preflight (operations.md §4.1): the config must be valid; an unset `gateway.mode`
 * becomes `local`; token auth with no token the service can see (config or `<state>/.env`) gets
 * the shell's OPENCLAW_GATEWAY_TOKEN or 32 random bytes as hex, stored in the config only.
 */
export async function servicePreflight(options: {paths: ResolvedPaths; env: NodeJS.ProcessEnv; version: string; dryRun?: boolean}): Promise<PreflightResult> {
  const {paths, env} = options
  let loaded = loadConfig({paths, env})
  requireValid(loaded, paths)
  const patch: {gateway: Record<string, unknown>} = {gateway: {}}
  const notices: string[] = []
  const authored = loaded.authored ?? {}
  const gateway = (authored.gateway ?? {}) as Record<string, unknown>
  if (gateway.mode === undefined) {
    patch.gateway.mode = 'local'
    notices.push('Set gateway.mode to local (this machine runs the gateway).')
  }
  const auth = resolveGatewayAuth({config: loaded.config, authored: loaded.authored, flags: {}, env: {}})
  if (auth.mode === 'password' && auth.password === undefined && dotenvValue(paths, 'OPENCLAW_GATEWAY_PASSWORD') === undefined) {
    throw new AppError('CONFIG_INVALID', 'gateway.auth.mode is password but no password is set, so the service could not authenticate anyone', {
      hint: ['openclaw config set gateway.auth.password <password>', 'or use a token: openclaw config set gateway.auth.mode token'],
    })
  }
  if (auth.mode === 'token' && auth.token === undefined && dotenvValue(paths, 'OPENCLAW_GATEWAY_TOKEN') === undefined) {
    const fromShell = env.OPENCLAW_GATEWAY_TOKEN?.trim()
    patch.gateway.auth = {token: fromShell !== undefined && fromShell !== '' ? fromShell : randomBytes(32).toString('hex')}
    notices.push(fromShell ? 'Stored this shell\'s OPENCLAW_GATEWAY_TOKEN as gateway.auth.token (the service does not see your shell).' : 'Generated gateway token (gateway.auth.token). Open the dashboard with: openclaw dashboard')
  }
  const changed = Object.keys(patch.gateway).map((key) => `gateway.${key === 'auth' ? 'auth.token' : key}`)
  if (changed.length > 0 && options.dryRun !== true) {
    const text = JSON.stringify(patch)
    await patchConfig({paths, env, version: options.version}, {cwd: paths.cwd, stdin: (async function* () { yield text })()})
    loaded = loadConfig({paths, env})
    requireValid(loaded, paths)
  }
  return {loaded, notices, changed}
}

function requireValid(loaded: LoadedConfig, paths: ResolvedPaths): void {
  if (loaded.issues.length === 0) return
  throw new AppError('CONFIG_INVALID', `the config ${paths.configPath} has ${loaded.issues.length} issue${loaded.issues.length === 1 ? '' : 's'}; the service would only exit 78 (nothing was installed):`, {
    details: {issues: loaded.issues},
    hint: ['openclaw config validate', 'openclaw doctor --fix'],
  })
}

/** A variable from `<state>/.env`, which the service loads too (config.md §3.1). */
function dotenvValue(paths: ResolvedPaths, key: string): string | undefined {
  let text: string
  try {
    text = readFileSync(stateFiles(paths.stateDir).dotenv, 'utf8')
  } catch {
    return undefined
  }
  const match = new RegExp(`^\\s*(?:export\\s+)?${key}\\s*=\\s*(.*)$`, 'm').exec(text)
  const value = match?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2')
  return value === undefined || value === '' ? undefined : value
}
