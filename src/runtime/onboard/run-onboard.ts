import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {applyMergePatch} from '../config/edit/merge-patch.js'
import {writeOwnedConfig} from '../config/edit/owned-write.js'
import {loadConfig} from '../config/load.js'
import {formatIssue} from '../config/issues.js'
import {substituteAndValidate} from '../config/evaluate.js'
import {AppError} from '../errors/app-error.js'
import {resolveStatePath, tildify, type ResolvedPaths} from '../paths.js'
import {ensureAgentHome} from '../agents/workspace-bootstrap.js'
import {writeFileAtomic} from '../state/atomic-write.js'
import {ensureDir} from '../state/ensure-state-dir.js'
import {DEFAULT_GATEWAY_PORT} from '../config/gateway-settings.js'
import {PROVIDERS, type OnboardAnswers} from './answers.js'
import {tcpProbe} from '../doctor/checks/gateway-reachability.js'
import {firstFreePort} from './free-port.js'
import {resetState} from './reset.js'
import {installServiceStep} from './service-step.js'
import {gatewayStep, modeStep, modelStep, quickstartDefaults, telegramStep, wizardStamp, workspaceStep, type StepContext} from './steps.js'
import {checkProviderKey, checkTelegramToken} from './telegram-check.js'

export interface OnboardResult {
  mode: 'local' | 'remote'
  flow: 'quickstart' | 'manual'
  configPath: string
  workspace: string | null
  agentId: string
  model: string | null
  gateway: {port: number; bind: string; authMode: string} | null
  telegram: {accountId: string; botUsername: string | null} | null
  service: {installed: boolean; path: string | null} | null
  healthy: boolean | null
  dashboardUrl: string | null
  /** Commands to run next. */
  next: string[]
}

export interface OnboardInputs {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  version: string
  answers: OnboardAnswers
  /** The package root (`templates/`, `bin/run.js`), for the service unit. */
  packageRoot: string
  /** A terminal is attached (sudo may prompt during the service step). */
  interactive?: boolean
  now?: Date
}

/**
 * Onboarding after the answers are known (operations.md §6): checks tokens and keys first (a
 * rejected one writes nothing), merges every step's patch into the config and writes it once
 * (owned write), stores a typed key in `auth-profiles.json` (0600) or `.env`, creates the state
 * dirs with their modes and seeds the workspace (missing files only). Never deletes: Reset moves
 * files to `backups/onboard-reset-<ts>/`. Returns the result and warnings.
 */
export async function runOnboard(inputs: OnboardInputs): Promise<{result: OnboardResult; warnings: string[]}> {
  const {paths, env, answers: a} = inputs
  const now = inputs.now ?? new Date()
  const warnings: string[] = []
  if (a.acceptRisk !== true) throw new AppError('ONBOARD_RISK_DECLINED', 'onboarding stopped: the risk was not accepted', {hint: ['openclaw onboard --accept-risk']})
  let loaded = loadConfig({paths, env: {...env}, shellEnv: false})
  const blocking = loaded.issues.filter((i) => i.code !== 'CONFIG_ENV_MISSING')
  if (loaded.exists && blocking.length > 0 && a.existing !== 'reset') {
    throw new AppError('ONBOARD_INVALID_CONFIG', `Your config is invalid; run: openclaw doctor --fix, then onboard again (${blocking.map((i) => formatIssue(i, paths.home)).join('; ')})`, {
      hint: ['openclaw doctor --fix', 'openclaw onboard'],
    })
  }
  const existing = loaded.exists ? (a.existing ?? 'modify') : 'modify'
  if (existing === 'reset' && loaded.exists) {
    const reset = resetState(paths.stateDir, paths.configPath, a.resetScope ?? 'config', [path.join(paths.stateDir, 'workspace')], now)
    warnings.push(`Moved ${reset.moved.length} item(s) to ${tildify(reset.dir, paths.home)}`)
    loaded = loadConfig({paths, env: {...env}, shellEnv: false})
  }
  const current = loaded.topTree ?? {}
  const mode = a.mode ?? 'local'
  const flow = a.flow ?? 'quickstart'
  const hasPort = a.gatewayPort !== undefined || typeof (current.gateway as {port?: unknown} | undefined)?.port === 'number'
  const freePort = hasPort ? DEFAULT_GATEWAY_PORT : await firstFreePort(DEFAULT_GATEWAY_PORT)
  if (!hasPort && freePort !== DEFAULT_GATEWAY_PORT && mode === 'local') warnings.push(`Port ${DEFAULT_GATEWAY_PORT} is busy; the gateway will use ${freePort}`)
  const ctx: StepContext = {stateDir: paths.stateDir, current, version: inputs.version, now, freshToken: randomBytes(32).toString('hex'), freePort}

  let botUsername: string | null = null
  if (a.telegramToken !== undefined && a.skipChannels !== true && existing !== 'keep') {
    const check = await checkTelegramToken(a.telegramToken, {apiRoot: a.telegramApiRoot})
    if (check.status === 'rejected') {
      throw new AppError('ONBOARD_KEY_REJECTED', `Telegram rejected the bot token (${check.description}); nothing was written`, {hint: ['Copy the token again from @BotFather, then: openclaw onboard --telegram-token <token>']})
    }
    if (check.status === 'unreachable') warnings.push(`Could not reach Telegram to check the bot token (${check.reason}); it was saved unchecked`)
    else botUsername = check.username
  }
  const choice = a.authChoice
  if (a.checkKey === true && a.apiKey !== undefined && (choice === 'anthropic' || choice === 'openai' || choice === 'openrouter')) {
    const verdict = await checkProviderKey(choice, PROVIDERS[choice].baseUrl, a.apiKey)
    if (verdict === 'rejected') throw new AppError('ONBOARD_KEY_REJECTED', `${choice} rejected the API key; nothing was written`, {hint: [`Check the key, then: openclaw onboard --auth-choice ${choice} --check-key`]})
    if (verdict === 'unreachable') warnings.push(`Could not reach ${choice} to check the key; it was saved unchecked`)
  }

  let workspace: string | null = null
  let model: string | null = null
  let gateway: OnboardResult['gateway'] = null
  let token: string | null = null
  if (existing !== 'keep') {
    const patches = [modeStep(a)]
    if (mode === 'local') {
      const ws = workspaceStep(a, ctx)
      const m = modelStep(a)
      const gw = gatewayStep(a, ctx)
      patches.push(ws.patch, m.patch, gw.patch, telegramStep(a), quickstartDefaults(a, ctx))
      workspace = ws.workspace
      model = m.model
      gateway = {port: gw.port, bind: gw.bind, authMode: gw.authMode}
      token = gw.token
    }
    patches.push(wizardStamp(a, ctx))
    let tree: unknown = current
    for (const patch of patches) tree = applyMergePatch(tree, patch).value
    const evaluated = substituteAndValidate(tree as Record<string, unknown>, {env: {...env, ...envSecrets(a, token)}, origins: loaded.origins})
    if (evaluated.schemaIssues.length > 0) {
      throw new AppError('CONFIG_INVALID', `the answers give an invalid config: ${evaluated.schemaIssues.map((i) => formatIssue(i, paths.home)).join('; ')}`, {hint: ['Check the flag values: openclaw onboard --help']})
    }
    ensureDir(paths.stateDir, 0o700)
    await writeOwnedConfig({configPath: paths.configPath, home: paths.home, env, version: inputs.version, now: () => now}, () => ({tree: tree as Record<string, unknown>, info: null}))
    writeSecrets(paths, a, token)
  } else {
    workspace = typeof (current.agents as {defaults?: {workspace?: unknown}} | undefined)?.defaults?.workspace === 'string' ? String((current.agents as {defaults: {workspace: string}}).defaults.workspace) : path.join(paths.stateDir, 'workspace')
  }
  const agentId = 'main'
  for (const dir of ['credentials', 'logs', 'agents', `agents/${agentId}`, `agents/${agentId}/agent`, `agents/${agentId}/sessions`]) ensureDir(path.join(paths.stateDir, dir), 0o700)
  if (mode === 'local' && workspace !== null) {
    const home = path.join(paths.stateDir, 'agents', agentId)
    ensureAgentHome({workspace: resolveStatePath(workspace, paths), agentDir: path.join(home, 'agent'), sessionsDir: path.join(home, 'sessions')}, {skipBootstrap: a.skipBootstrap})
  }

  let service: OnboardResult['service'] = null
  if (mode === 'local' && a.installDaemon === true) {
    const installed = await installServiceStep({paths, env, version: inputs.version, packageRoot: inputs.packageRoot, memoryMax: a.memoryMax, interactive: inputs.interactive === true, waitSeconds: a.skipHealth === true ? 0 : 15})
    service = {installed: installed.installed, path: installed.path}
    if (installed.warning !== undefined) warnings.push(installed.warning)
  }
  const healthy = mode === 'local' && gateway !== null && a.skipHealth !== true ? await gatewayHealthy(gateway.port, token, inputs.version) : null
  if (healthy === false) warnings.push(`A gateway answers on port ${gateway?.port} but is not healthy; check: openclaw health`)
  const dashboardUrl = gateway === null ? null : `http://127.0.0.1:${gateway.port}/${token === null ? '' : `#token=${encodeURIComponent(token)}`}`
  const next = mode === 'local'
    ? [service?.installed === true ? 'openclaw gateway status' : 'openclaw gateway run', 'openclaw dashboard', 'openclaw doctor']
    : ['openclaw health', 'openclaw status']
  const result: OnboardResult = {
    mode, flow, configPath: paths.configPath, workspace, agentId, model, gateway,
    telegram: a.telegramToken !== undefined && a.skipChannels !== true ? {accountId: 'default', botUsername} : null,
    service, healthy, dashboardUrl, next,
  }
  return {result, warnings}
}

/**
 * Step 10: when something listens on the gateway port (a service just started, or a gateway
 * already runs), its health: true/false. Null when nothing runs (the next steps say how to start
 * one). The service step already waited for readiness, so this is one short probe.
 */
async function gatewayHealthy(port: number, token: string | null, version: string): Promise<boolean | null> {
  if ((await tcpProbe(port, 300)) !== 'open') return null
  const {probeGatewayStatus} = await import('../status/gateway-probe.js')
  const probe = await probeGatewayStatus({target: {url: `ws://127.0.0.1:${port}`, token: token ?? undefined}, mode: 'local', timeoutMs: 3000, clientInfo: {version}, deep: false})
  return probe.gateway.reachable && probe.gateway.error === null
}

/** Variables a `--secret-input-mode env` run puts in `.env`, so validation sees them. */
function envSecrets(a: OnboardAnswers, token: string | null): Record<string, string> {
  if (a.secretInputMode !== 'env') return {}
  const out: Record<string, string> = {}
  if (token !== null) out.OPENCLAW_GATEWAY_TOKEN = token
  if (a.telegramToken !== undefined) out.TELEGRAM_BOT_TOKEN = a.telegramToken
  const choice = a.authChoice
  if (a.apiKey !== undefined && (choice === 'anthropic' || choice === 'openai' || choice === 'openrouter')) out[PROVIDERS[choice].env] = a.apiKey
  return out
}

/** A typed key → `auth-profiles.json` (0600), or every secret → `<state>/.env` with `--secret-input-mode env`. */
function writeSecrets(paths: ResolvedPaths, a: OnboardAnswers, token: string | null): void {
  const choice = a.authChoice
  if (a.secretInputMode === 'env') {
    const vars = envSecrets(a, token)
    if (Object.keys(vars).length === 0) return
    const file = path.join(paths.stateDir, '.env')
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !Object.keys(vars).some((k) => l.startsWith(`${k}=`))) : []
    for (const [k, v] of Object.entries(vars)) lines.push(`${k}=${v}`)
    writeFileAtomic(file, lines.join('\n') + '\n', {mode: 0o600})
    return
  }
  if (a.apiKey === undefined || choice === undefined || choice === 'skip') return
  const dir = path.join(paths.stateDir, 'agents', 'main', 'agent')
  ensureDir(path.join(paths.stateDir, 'agents', 'main'), 0o700)
  ensureDir(dir, 0o700)
  const file = path.join(dir, 'auth-profiles.json')
  let store: {version?: number; profiles?: Record<string, unknown>}
  try {
    store = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    store = {}
  }
  const provider = choice === 'custom' ? (a.customProviderId ?? 'custom') : choice
  store = {version: 1, ...store, profiles: {...store.profiles, [`${provider}:default`]: {type: 'api_key', provider, key: a.apiKey}}}
  writeFileAtomic(file, JSON.stringify(store, null, 2) + '\n', {mode: 0o600})
}
