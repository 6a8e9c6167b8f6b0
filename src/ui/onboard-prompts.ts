import {confirm, input, password, select} from '@inquirer/prompts'

import type {AuthChoice, OnboardAnswers, PROVIDERS} from '../runtime/onboard/answers.js'

export interface PromptContext {
  configExists: boolean
  configPath: string
  stateDir: string
  env: NodeJS.ProcessEnv
  /** The built-in provider presets (env variable, default model). */
  providers: typeof PROVIDERS
}

const out = {output: process.stderr}

/**
 * Asks every question whose flag was not given, in the order of operations.md §6.2. Prompts go
 * to stderr (stdout is for results). QuickStart asks only risk, model, Telegram and service.
 */
export async function promptAnswers(given: OnboardAnswers, ctx: PromptContext): Promise<OnboardAnswers> {
  const a: OnboardAnswers = {...given}
  a.acceptRisk ??= await confirm({message: 'openclaw runs AI agents that can read files and run commands on this machine. Continue?', default: false}, out)
  if (a.acceptRisk !== true) return a
  if (ctx.configExists && a.existing === undefined) {
    a.existing = await select({message: `A config already exists at ${ctx.configPath}:`, choices: [{name: 'Modify', value: 'modify' as const}, {name: 'Keep', value: 'keep' as const}, {name: 'Reset', value: 'reset' as const}]}, out)
  }
  if (a.existing === 'keep') return a
  a.flow ??= await select({message: 'Setup flow:', choices: [{name: 'QuickStart', value: 'quickstart' as const}, {name: 'Manual', value: 'manual' as const}]}, out)
  a.mode ??= await select({message: 'Where will the gateway run?', choices: [{name: 'This machine', value: 'local' as const}, {name: 'A remote gateway', value: 'remote' as const}]}, out)
  if (a.mode === 'remote') {
    a.remoteUrl ??= await input({message: 'Remote gateway URL (ws:// or wss://):', required: true}, out)
    a.remoteToken ??= await password({message: 'Remote gateway token:', mask: true}, out)
    return a
  }
  if (a.flow === 'manual') a.workspace ??= await input({message: 'Workspace directory:', default: `${ctx.stateDir}/workspace`}, out)
  if (a.authChoice === undefined) {
    a.authChoice = await select<AuthChoice>({
      message: 'Model provider:',
      choices: [
        {name: 'Anthropic', value: 'anthropic'}, {name: 'OpenAI', value: 'openai'}, {name: 'OpenRouter', value: 'openrouter'},
        {name: 'Ollama (local)', value: 'ollama'}, {name: 'Custom OpenAI-compatible', value: 'custom'}, {name: 'Skip', value: 'skip'},
      ],
    }, out)
  }
  await promptModel(a, ctx)
  if (a.flow === 'manual') {
    a.gatewayPort ??= Number(await input({message: 'Gateway port:', default: '18789', validate: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? true : 'a port from 1 to 65535'}, out))
    a.gatewayBind ??= await select({message: 'Gateway bind:', choices: [{name: 'loopback (this machine only)', value: 'loopback' as const}, {name: 'lan (all interfaces)', value: 'lan' as const}]}, out)
  }
  if (a.telegramToken === undefined && a.skipChannels !== true) {
    if (await confirm({message: 'Connect a Telegram bot now?', default: false}, out)) {
      a.telegramToken = await password({message: 'Bot token from @BotFather:', mask: true, validate: (v) => (/^\d+:[\w-]+$/.test(v) ? true : 'looks like 123456:ABC...')}, out)
      a.telegramDmPolicy ??= await select({message: 'DM access:', choices: ['pairing', 'allowlist', 'open', 'disabled'].map((v) => ({name: v, value: v as NonNullable<OnboardAnswers['telegramDmPolicy']>}))}, out)
      if (a.telegramDmPolicy === 'allowlist' && a.telegramAllowFrom === undefined) {
        a.telegramAllowFrom = (await input({message: 'Allowed Telegram user ids (comma-separated):', required: true}, out)).split(',').map((s) => s.trim()).filter(Boolean)
      }
    } else a.skipChannels = true
  }
  a.installDaemon ??= await confirm({message: 'Install the gateway as a service (starts at boot)?', default: true}, out)
  return a
}

async function promptModel(a: OnboardAnswers, ctx: PromptContext): Promise<void> {
  const choice = a.authChoice
  if (choice === 'anthropic' || choice === 'openai' || choice === 'openrouter') {
    const preset = ctx.providers[choice]
    if (a.apiKey === undefined && a.apiKeyEnv === undefined) {
      const fromEnv = ctx.env[preset.env]
      if (fromEnv !== undefined && fromEnv !== '' && (await confirm({message: `Use ${preset.env} from the environment (nothing stored)?`, default: true}, out))) a.apiKeyEnv = preset.env
      else a.apiKey = await password({message: `${choice} API key:`, mask: true, validate: (v) => (v.trim() === '' ? 'the key is required (or pick Skip)' : true)}, out)
    }
    a.model ??= await input({message: 'Default model:', default: preset.model}, out)
  } else if (choice === 'ollama') {
    a.ollamaUrl ??= await input({message: 'Ollama URL:', default: 'http://127.0.0.1:11434'}, out)
    a.model ??= await input({message: 'Default model:', default: 'ollama/llama3.2'}, out)
  } else if (choice === 'custom') {
    a.customBaseUrl ??= await input({message: 'Base URL (OpenAI-compatible):', required: true}, out)
    a.customModelId ??= await input({message: 'Model id:', required: true}, out)
    a.apiKey ??= (await password({message: 'API key (empty for none):', mask: true}, out)) || undefined
  }
}
