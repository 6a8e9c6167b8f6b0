/**
 * The `/model` list from config alone (runtime.md §7): the agent's primary and fallbacks,
 * `agents.defaults.models` (with aliases), then models under `models.providers`; 30 at most.
 * The run loop may pass a resolver that knows the built-in provider presets instead.
 */
import type {Config} from '../config/schema/index.js'
import type {ModelChoices} from './execute.js'

const MAX_CHOICES = 30

export function configModelChoices(config: Readonly<Config>, agent: {model: string | null; fallbacks: readonly string[]}, knownProviders: readonly string[] = []): ModelChoices {
  const seen = new Map<string, {ref: string; alias?: string}>()
  const add = (ref: string, alias?: string) => {
    const existing = seen.get(ref)
    if (existing === undefined) seen.set(ref, alias === undefined ? {ref} : {ref, alias})
    else if (alias !== undefined) existing.alias ??= alias
  }
  if (agent.model !== null) add(agent.model)
  for (const ref of agent.fallbacks) add(ref)
  for (const [ref, meta] of Object.entries(config.agents.defaults.models)) add(ref, meta.alias)
  for (const [provider, entry] of Object.entries(config.models.providers)) for (const m of entry.models ?? []) add(`${provider}/${m.id}`)
  const list = [...seen.values()].slice(0, MAX_CHOICES)
  const providers = new Set([...knownProviders, ...Object.keys(config.models.providers), ...list.map((m) => m.ref.split('/')[0])])
  return {
    agentModel: agent.model,
    list: () => list,
    resolve(input) {
      const text = input.trim()
      const numbered = /^#(\d+)$/.exec(text)
      if (numbered !== null) return list[Number(numbered[1]) - 1]?.ref ?? null
      const byAlias = [...seen.values()].find((m) => m.alias?.toLowerCase() === text.toLowerCase())
      if (byAlias !== undefined) return byAlias.ref
      const slash = text.indexOf('/')
      if (slash > 0 && slash < text.length - 1 && providers.has(text.slice(0, slash))) return text
      return null
    },
  }
}
