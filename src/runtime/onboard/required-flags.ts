import {envValue, type Env} from '../paths.js'
import {PROVIDERS, type OnboardAnswers} from './answers.js'

/**
 * The flags a non-interactive run is missing, each as `--flag` with why (operations.md §6.1).
 * Empty when the answers are complete. Pure.
 */
export function missingFlags(a: OnboardAnswers, env: Env): string[] {
  const missing: string[] = []
  if (a.mode === 'remote' && a.remoteUrl === undefined) missing.push('--remote-url (required with --mode remote)')
  const choice = a.authChoice
  if (choice === 'anthropic' || choice === 'openai' || choice === 'openrouter') {
    const preset = PROVIDERS[choice]
    const hasKey = a.apiKey !== undefined || a.apiKeyEnv !== undefined || envValue(env, preset.env) !== undefined
    if (!hasKey) missing.push(`--${choice}-api-key or --api-key-env (no ${preset.env} in the environment)`)
  }
  if (choice === 'custom') {
    if (a.customBaseUrl === undefined) missing.push('--custom-base-url (required with --auth-choice custom)')
    if (a.customModelId === undefined) missing.push('--custom-model-id (required with --auth-choice custom)')
  }
  if (a.gatewayAuth === 'password' && a.gatewayPassword === undefined) missing.push('--gateway-password (required with --gateway-auth password)')
  if (a.telegramToken !== undefined && a.telegramDmPolicy === 'allowlist' && (a.telegramAllowFrom ?? []).length === 0) {
    missing.push('--telegram-allow-from (required with --telegram-dm-policy allowlist)')
  }
  return missing
}
