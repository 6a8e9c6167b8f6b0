import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {isPlainObject} from '../../config/deep-merge.js'
import {envValue} from '../../paths.js'
import type {DoctorCheck} from '../doctor-check.js'

/** The env variable holding a built-in provider's key; providers without one need no key. */
export const PROVIDER_KEY_ENV: Record<string, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
}

export const modelsAuthCheck: DoctorCheck = {
  id: 'models.auth',
  title: 'Default model',
  lint: true,
  inspect: (ctx) => {
    if (!ctx.configParsed()) return {status: 'skip', message: 'skipped: config could not be parsed'}
    const authored = ctx.config().authored ?? {}
    const defaults = isPlainObject(authored.agents) && isPlainObject(authored.agents.defaults) ? authored.agents.defaults : {}
    const model = defaults.model
    const primary = typeof model === 'string' ? model : isPlainObject(model) && typeof model.primary === 'string' ? model.primary : null
    if (primary === null) return {status: 'warn', message: 'no default model configured', fix: {summary: 'pick one: openclaw onboard', safe: false}}
    const provider = primary.split('/')[0]
    const providers = isPlainObject(authored.models) && isPlainObject(authored.models.providers) ? authored.models.providers : {}
    const configured = isPlainObject(providers[provider]) && providers[provider].apiKey !== undefined
    const envName = PROVIDER_KEY_ENV[provider]
    if (configured || envName === undefined || envValue(ctx.env, envName) !== undefined || envValue(ctx.env, `${envName}S`) !== undefined) return {status: 'pass', message: primary}
    const profiles = path.join(ctx.paths.stateDir, 'agents', ctx.defaultAgentId(), 'agent', 'auth-profiles.json')
    if (existsSync(profiles) && readFileSync(profiles, 'utf8').includes(`"${provider}:`)) return {status: 'pass', message: `${primary} (key in auth-profiles.json)`}
    return {status: 'warn', message: `${primary}: no API key found (${envName} unset, no auth profile)`, fix: {summary: `set ${envName} in ${ctx.paths.stateDir}/.env, or store a key with: openclaw onboard`, safe: false}}
  },
}
