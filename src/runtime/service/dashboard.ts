import {layered, resolveGatewayAuth, resolveGatewayPort, type LayerInputs} from '../config/gateway-settings.js'
import {loadConfig} from '../config/load.js'
import {AppError} from '../errors/app-error.js'
import {probeGatewayHealth} from '../gateway/lifecycle/probe-health.js'
import type {ResolvedPaths} from '../paths.js'

export interface DashboardResult {
  url: string
  authMode: 'token' | 'password' | 'none'
  tokenIncluded: boolean
  reachable: boolean
}

/** `http://127.0.0.1:<port><basePath>` plus `#token=<token>` when given (the fragment never reaches a server log). */
export function dashboardUrl(options: LayerInputs & {port: number; token: string | undefined}): string {
  const basePath = layered(options, ['gateway', 'controlUi', 'basePath'], (v): v is string => typeof v === 'string' && v.startsWith('/')) ?? '/'
  const base = `http://127.0.0.1:${options.port}${basePath === '/' ? '/' : basePath}`
  return options.token === undefined ? base : `${base}#token=${encodeURIComponent(options.token)}`
}

/**
 * `openclaw dashboard` (operations.md §2.5): the Control UI URL built from the same port and
 * token the gateway uses, and whether the gateway answers `/health` (a short probe).
 */
export async function buildDashboard(options: {paths: ResolvedPaths; env: NodeJS.ProcessEnv}): Promise<DashboardResult> {
  const loaded = loadConfig({paths: options.paths, env: options.env})
  const inputs = {config: loaded.config, authored: loaded.authored}
  if (layered(inputs, ['gateway', 'controlUi', 'enabled'], (v): v is boolean => typeof v === 'boolean') === false) {
    throw new AppError('DASHBOARD_DISABLED', 'the Control UI is disabled (gateway.controlUi.enabled is false)', {hint: ['openclaw config set gateway.controlUi.enabled true', 'then: openclaw gateway restart']})
  }
  const {port} = resolveGatewayPort({...inputs, env: options.env})
  const auth = resolveGatewayAuth({...inputs, flags: {}, env: options.env})
  const token = auth.mode === 'token' ? auth.token : undefined
  return {
    url: dashboardUrl({...inputs, port, token}),
    authMode: auth.mode,
    tokenIncluded: token !== undefined,
    reachable: await probeGatewayHealth('127.0.0.1', port, 1000),
  }
}
