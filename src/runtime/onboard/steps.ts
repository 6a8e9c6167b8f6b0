import path from 'node:path'

import {DEFAULT_OLLAMA_URL, PROVIDERS, type OnboardAnswers} from './answers.js'

/** A config patch (merge-patch semantics: objects merge, scalars replace). */
export type ConfigPatch = Record<string, unknown>

export interface StepContext {
  stateDir: string
  /** The current authored config (`{}` for a new one). */
  current: Record<string, unknown>
  version: string
  now: Date
  /** A generated token, used when the answers give none and the config has none. */
  freshToken: string
  /** Free port found for QuickStart when 18789 is taken, else 18789. */
  freePort: number
}

function get(tree: unknown, ...keys: string[]): unknown {
  let node = tree
  for (const key of keys) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined
  return node
}

/** Step 4: where the gateway runs. */
export function modeStep(a: OnboardAnswers): ConfigPatch {
  if (a.mode === 'remote') return {gateway: {mode: 'remote', remote: {url: a.remoteUrl, ...(a.remoteToken === undefined ? {} : {token: a.remoteToken})}}}
  return {gateway: {mode: 'local'}}
}

/** Step 5: the default agent's workspace (`<state>/workspace` unless given). */
export function workspaceStep(a: OnboardAnswers, ctx: StepContext): {patch: ConfigPatch; workspace: string} {
  const current = get(ctx.current, 'agents', 'defaults', 'workspace')
  const workspace = a.workspace ?? (typeof current === 'string' ? current : path.join(ctx.stateDir, 'workspace'))
  return {patch: {agents: {defaults: {workspace}}}, workspace}
}

/** The provider id of a model ref (`openai/gpt-4o` → `openai`). */
export function providerOf(ref: string): string {
  return ref.split('/')[0]
}

/** Step 6: default model, provider entries for Ollama/custom endpoints, auth metadata; the key goes elsewhere. */
export function modelStep(a: OnboardAnswers): {patch: ConfigPatch; model: string | null} {
  const choice = a.authChoice
  if (choice === undefined || choice === 'skip') return {patch: {}, model: null}
  if (choice === 'ollama') {
    const model = a.model ?? 'ollama/llama3.2'
    return {patch: {agents: {defaults: {model: {primary: model}}}, models: {providers: {ollama: {baseUrl: a.ollamaUrl ?? DEFAULT_OLLAMA_URL, api: 'ollama'}}}}, model}
  }
  if (choice === 'custom') {
    const id = a.customProviderId ?? 'custom'
    const modelId = a.customModelId ?? 'model'
    const provider: Record<string, unknown> = {baseUrl: a.customBaseUrl, api: a.customApi ?? 'openai-completions', models: [{id: modelId, name: modelId}]}
    if (a.apiKeyEnv !== undefined) provider.apiKey = `\${${a.apiKeyEnv}}`
    const model = `${id}/${modelId}`
    return {patch: {agents: {defaults: {model: {primary: model}}}, models: {providers: {[id]: provider}}}, model}
  }
  const preset = PROVIDERS[choice]
  const model = a.model ?? preset.model
  const patch: ConfigPatch = {agents: {defaults: {model: {primary: model}}}}
  if (a.apiKeyEnv !== undefined && a.apiKeyEnv !== preset.env) patch.models = {providers: {[choice]: {apiKey: `\${${a.apiKeyEnv}}`}}}
  if (a.apiKey !== undefined && a.secretInputMode !== 'env') patch.auth = {profiles: {[`${choice}:default`]: {provider: choice, mode: 'api_key'}}}
  return {patch, model}
}

/** Step 7: port, bind, auth with a generated token unless one exists or is given. */
export function gatewayStep(a: OnboardAnswers, ctx: StepContext): {patch: ConfigPatch; port: number; bind: string; authMode: string; token: string | null} {
  const currentPort = get(ctx.current, 'gateway', 'port')
  const port = a.gatewayPort ?? (typeof currentPort === 'number' ? currentPort : ctx.freePort)
  const currentBind = get(ctx.current, 'gateway', 'bind')
  const bind = a.gatewayBind ?? (typeof currentBind === 'string' ? currentBind : 'loopback')
  const authMode = a.gatewayAuth ?? (get(ctx.current, 'gateway', 'auth', 'mode') === 'password' ? 'password' : 'token')
  if (authMode === 'password') return {patch: {gateway: {port, bind, auth: {mode: 'password', password: a.gatewayPassword}}}, port, bind, authMode, token: null}
  const existing = get(ctx.current, 'gateway', 'auth', 'token')
  const token = a.gatewayToken ?? (typeof existing === 'string' ? existing : ctx.freshToken)
  const written = a.secretInputMode === 'env' && a.gatewayToken === undefined && typeof existing !== 'string' ? '${OPENCLAW_GATEWAY_TOKEN}' : token
  return {patch: {gateway: {port, bind, auth: {mode: 'token', token: written}}}, port, bind, authMode, token}
}

/** Step 8: the Telegram bot token and DM policy. */
export function telegramStep(a: OnboardAnswers): ConfigPatch {
  if (a.skipChannels === true || a.telegramToken === undefined) return {}
  const policy = a.telegramDmPolicy ?? 'pairing'
  const telegram: Record<string, unknown> = {botToken: a.secretInputMode === 'env' ? '${TELEGRAM_BOT_TOKEN}' : a.telegramToken, dmPolicy: policy}
  const allow = policy === 'open' ? [...new Set(['*', ...(a.telegramAllowFrom ?? [])])] : a.telegramAllowFrom
  if (allow !== undefined && allow.length > 0) telegram.allowFrom = allow
  return {channels: {telegram}}
}

/** QuickStart extras, only where unset: tools.profile coding, session.dmScope per-channel-peer. */
export function quickstartDefaults(a: OnboardAnswers, ctx: StepContext): ConfigPatch {
  if (a.flow === 'manual') return {}
  const patch: ConfigPatch = {}
  if (get(ctx.current, 'tools', 'profile') === undefined) patch.tools = {profile: 'coding'}
  if (get(ctx.current, 'session', 'dmScope') === undefined) patch.session = {dmScope: 'per-channel-peer'}
  return patch
}

/** The `wizard` stamp (config.md §7.9). */
export function wizardStamp(a: OnboardAnswers, ctx: StepContext): ConfigPatch {
  return {wizard: {lastRunAt: ctx.now.toISOString(), lastRunVersion: ctx.version, lastRunCommand: 'onboard', lastRunMode: a.mode ?? 'local', lastRunFlow: a.flow ?? 'quickstart'}}
}
