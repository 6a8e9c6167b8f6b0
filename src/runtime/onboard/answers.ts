/** Every onboarding input; each has a flag (operations.md §6.2). Undefined = not given. */
export interface OnboardAnswers {
  acceptRisk?: boolean
  /** What to do with an existing config: keep, modify (merge), reset (move aside first). */
  existing?: 'keep' | 'modify' | 'reset'
  resetScope?: 'config' | 'config+creds+sessions' | 'full'
  flow?: 'quickstart' | 'manual'
  mode?: 'local' | 'remote'
  remoteUrl?: string
  remoteToken?: string
  workspace?: string
  authChoice?: AuthChoice
  /** A key entered or passed by flag (stored in auth-profiles.json, or .env with secretInputMode env). */
  apiKey?: string
  /** The key is read from this env variable (nothing stored). */
  apiKeyEnv?: string
  model?: string
  ollamaUrl?: string
  customBaseUrl?: string
  customModelId?: string
  customProviderId?: string
  customApi?: 'openai-completions' | 'anthropic-messages'
  gatewayPort?: number
  gatewayBind?: 'loopback' | 'lan' | 'auto'
  gatewayAuth?: 'token' | 'password'
  gatewayToken?: string
  gatewayPassword?: string
  telegramToken?: string
  telegramDmPolicy?: 'pairing' | 'allowlist' | 'open' | 'disabled'
  telegramAllowFrom?: string[]
  skipChannels?: boolean
  installDaemon?: boolean
  memoryMax?: string
  skipHealth?: boolean
  secretInputMode?: 'plaintext' | 'env'
  skipBootstrap?: boolean
  checkKey?: boolean
  telegramApiRoot?: string
}

export type AuthChoice = 'anthropic' | 'openai' | 'openrouter' | 'ollama' | 'custom' | 'skip'

/** Built-in providers: the env variable of their key, their default model, and the models endpoint `--check-key` calls. */
export const PROVIDERS: Record<'anthropic' | 'openai' | 'openrouter', {env: string; model: string; baseUrl: string}> = {
  anthropic: {env: 'ANTHROPIC_API_KEY', model: 'anthropic/claude-sonnet-4-5', baseUrl: 'https://api.anthropic.com/v1'},
  openai: {env: 'OPENAI_API_KEY', model: 'openai/gpt-4o-mini', baseUrl: 'https://api.openai.com/v1'},
  openrouter: {env: 'OPENROUTER_API_KEY', model: 'openrouter/anthropic/claude-sonnet-4.5', baseUrl: 'https://openrouter.ai/api/v1'},
}

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434'
