import {Flags} from '@oclif/core'

import type {AuthChoice, OnboardAnswers} from '../runtime/onboard/answers.js'

/** Every onboarding prompt has a flag (operations.md §6.2). */
export const onboardFlags = {
  'accept-risk': Flags.boolean({description: 'Acknowledge that agents can read files and run commands on this machine'}),
  'non-interactive': Flags.boolean({description: 'Never prompt; take everything from flags (needs --accept-risk)'}),
  reset: Flags.boolean({description: 'Start over: move the existing config (and more with --reset-scope) to backups/ first'}),
  'reset-scope': Flags.string({description: 'What --reset moves aside', options: ['config', 'config+creds+sessions', 'full']}),
  keep: Flags.boolean({description: 'Keep an existing config as is; only run the missing steps'}),
  flow: Flags.string({description: 'Setup flow', options: ['quickstart', 'manual', 'advanced']}),
  mode: Flags.string({description: 'Where the gateway runs', options: ['local', 'remote']}),
  'remote-url': Flags.string({description: 'Remote gateway URL (ws:// or wss://) with --mode remote'}),
  'remote-token': Flags.string({description: 'Remote gateway token with --mode remote'}),
  workspace: Flags.string({description: 'Workspace directory of the default agent (default <state>/workspace)'}),
  'auth-choice': Flags.string({description: 'Model provider', options: ['anthropic', 'openai', 'openrouter', 'ollama', 'custom', 'skip'], aliases: ['provider']}),
  'anthropic-api-key': Flags.string({description: 'Anthropic API key (stored in auth-profiles.json, 0600)'}),
  'openai-api-key': Flags.string({description: 'OpenAI API key (stored in auth-profiles.json, 0600)'}),
  'openrouter-api-key': Flags.string({description: 'OpenRouter API key (stored in auth-profiles.json, 0600)'}),
  'api-key-env': Flags.string({description: 'Read the provider key from this environment variable instead of storing it'}),
  model: Flags.string({description: 'Default model as provider/model (e.g. openai/gpt-4o-mini)'}),
  'ollama-url': Flags.string({description: 'Ollama base URL (default http://127.0.0.1:11434)'}),
  'custom-base-url': Flags.string({description: 'Base URL of a custom OpenAI-compatible endpoint'}),
  'custom-model-id': Flags.string({description: 'Model id at the custom endpoint'}),
  'custom-api-key': Flags.string({description: 'API key of the custom endpoint'}),
  'custom-provider-id': Flags.string({description: 'Provider id for the custom endpoint (default custom)'}),
  'custom-api': Flags.string({description: 'Wire API of the custom endpoint', options: ['openai-completions', 'anthropic-messages']}),
  'check-key': Flags.boolean({description: 'Check the provider key with one authenticated request (needs network)'}),
  'gateway-port': Flags.integer({description: 'Gateway port (default 18789, or the next free one)', min: 1, max: 65535}),
  'gateway-bind': Flags.string({description: 'Gateway bind', options: ['loopback', 'lan', 'auto']}),
  'gateway-auth': Flags.string({description: 'Gateway auth mode', options: ['token', 'password']}),
  'gateway-token': Flags.string({description: 'Gateway token (default: generated)'}),
  'gateway-password': Flags.string({description: 'Gateway password with --gateway-auth password'}),
  'telegram-token': Flags.string({description: 'Telegram bot token from @BotFather (checked with getMe when reachable)'}),
  'telegram-dm-policy': Flags.string({description: 'Who may DM the bot', options: ['pairing', 'allowlist', 'open', 'disabled']}),
  'telegram-allow-from': Flags.string({description: 'Comma-separated Telegram user ids allowed to DM the bot'}),
  'telegram-api-root': Flags.string({description: 'Bot API base URL for the token check (self-hosted Bot API servers)'}),
  'skip-channels': Flags.boolean({description: 'Do not set up Telegram'}),
  'install-daemon': Flags.boolean({description: 'Install the gateway as a service (starts at boot)', allowNo: true}),
  'memory-max': Flags.string({description: 'MemoryMax for the service (auto|<size>|<pct>|none)'}),
  'skip-health': Flags.boolean({description: 'Do not check the gateway at the end'}),
  'secret-input-mode': Flags.string({description: 'Where secrets go: the config/auth-profiles (plaintext) or <state>/.env with ${VAR} references (env)', options: ['plaintext', 'env']}),
  'skip-bootstrap': Flags.boolean({description: 'Do not write the workspace bootstrap files'}),
}

type FlagValues = {[K in keyof typeof onboardFlags]?: unknown}

/** Flag values → answers; a provider key flag implies its --auth-choice (operations.md §6.2). */
export function answersFromFlags(f: FlagValues): OnboardAnswers {
  const s = (k: keyof FlagValues) => (typeof f[k] === 'string' ? (f[k] as string) : undefined)
  const keyFlags: Array<[AuthChoice, string | undefined]> = [['anthropic', s('anthropic-api-key')], ['openai', s('openai-api-key')], ['openrouter', s('openrouter-api-key')], ['custom', s('custom-api-key')]]
  const implied = keyFlags.find(([, key]) => key !== undefined)
  const authChoice = (s('auth-choice') as AuthChoice | undefined) ?? implied?.[0]
  const flow = s('flow')
  return {
    acceptRisk: f['accept-risk'] === true ? true : undefined,
    existing: f.reset === true ? 'reset' : f.keep === true ? 'keep' : undefined,
    resetScope: s('reset-scope') as OnboardAnswers['resetScope'],
    flow: flow === undefined ? undefined : flow === 'quickstart' ? 'quickstart' : 'manual',
    mode: s('mode') as OnboardAnswers['mode'],
    remoteUrl: s('remote-url'), remoteToken: s('remote-token'), workspace: s('workspace'),
    authChoice, apiKey: keyFlags.find(([c]) => c === authChoice)?.[1] ?? implied?.[1], apiKeyEnv: s('api-key-env'), model: s('model'),
    ollamaUrl: s('ollama-url'), customBaseUrl: s('custom-base-url'), customModelId: s('custom-model-id'), customProviderId: s('custom-provider-id'),
    customApi: s('custom-api') as OnboardAnswers['customApi'], checkKey: f['check-key'] === true,
    gatewayPort: typeof f['gateway-port'] === 'number' ? f['gateway-port'] : undefined,
    gatewayBind: s('gateway-bind') as OnboardAnswers['gatewayBind'], gatewayAuth: s('gateway-auth') as OnboardAnswers['gatewayAuth'],
    gatewayToken: s('gateway-token'), gatewayPassword: s('gateway-password'),
    telegramToken: s('telegram-token'), telegramDmPolicy: s('telegram-dm-policy') as OnboardAnswers['telegramDmPolicy'],
    telegramAllowFrom: s('telegram-allow-from')?.split(',').map((id) => id.trim()).filter(Boolean), telegramApiRoot: s('telegram-api-root'),
    skipChannels: f['skip-channels'] === true, installDaemon: typeof f['install-daemon'] === 'boolean' ? f['install-daemon'] : undefined,
    memoryMax: s('memory-max'), skipHealth: f['skip-health'] === true, secretInputMode: s('secret-input-mode') as OnboardAnswers['secretInputMode'],
    skipBootstrap: f['skip-bootstrap'] === true,
  }
}
