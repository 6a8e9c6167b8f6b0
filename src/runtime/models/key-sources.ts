import {readFileSync} from 'node:fs'
import path from 'node:path'

/** One API key and where it came from (never the key itself in output: see {@link maskKey}). */
export interface KeySource {
  key: string
  /** `config`, `auth-profile:<id>`, or `env:<NAME>`. */
  source: string
  /** Epoch ms when the credential expires (auth profiles that record `expires`). */
  expiresAt?: number
}

/** `…abcd`: the last four characters, for logs and status output. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '…' : `…${key.slice(-4)}`
}

/**
 * The key pool of one provider, deduplicated, in the order of runtime.md §8.4: config `apiKey`,
 * `api_key` auth profiles, `<P>_API_KEYS` (split on `,` `;` or whitespace), `<P>_API_KEY`,
 * `<P>_API_KEY_1…_9`, for each env prefix of the provider.
 */
export function collectProviderKeys(input: {configKey?: string; profileKeys?: KeySource[]; envPrefixes: string[]; env: Readonly<Record<string, string | undefined>>}): KeySource[] {
  const out: KeySource[] = []
  const seen = new Set<string>()
  const add = (key: string | undefined, source: string, expiresAt?: number) => {
    const trimmed = key?.trim()
    if (trimmed === undefined || trimmed === '' || seen.has(trimmed)) return
    seen.add(trimmed)
    out.push({key: trimmed, source, ...(expiresAt === undefined ? {} : {expiresAt})})
  }
  add(input.configKey, 'config')
  for (const profile of input.profileKeys ?? []) add(profile.key, profile.source, profile.expiresAt)
  for (const prefix of input.envPrefixes) {
    const list = input.env[`${prefix}_API_KEYS`]
    for (const key of (list ?? '').split(/[,;\s]+/)) add(key, `env:${prefix}_API_KEYS`)
    add(input.env[`${prefix}_API_KEY`], `env:${prefix}_API_KEY`)
    for (let n = 1; n <= 9; n++) add(input.env[`${prefix}_API_KEY_${n}`], `env:${prefix}_API_KEY_${n}`)
  }
  return out
}

interface AuthProfileFile {
  profiles?: Record<string, {type?: string; mode?: string; provider?: string; key?: string; apiKey?: string; expires?: number}>
}

/**
 * `api_key` profiles for a provider from the agent's `auth-profiles.json` (upstream shape:
 * `{version, profiles: {"<provider>:<name>": {type: "api_key", provider, key}}}`), profiles named
 * in `auth.order[provider]` first. A missing or unreadable file gives no keys: the env and config
 * sources still apply, and `models status` reports what it found.
 */
export function readAuthProfileKeys(agentDir: string | undefined, provider: string, order: readonly string[] = []): KeySource[] {
  if (agentDir === undefined) return []
  let parsed: AuthProfileFile
  try {
    parsed = JSON.parse(readFileSync(path.join(agentDir, 'auth-profiles.json'), 'utf8')) as AuthProfileFile
  } catch {
    return []
  }
  const entries = Object.entries(parsed.profiles ?? {}).filter(([id, p]) => {
    const kind = p.type ?? p.mode
    const owner = (p.provider ?? id.split(':')[0]).toLowerCase()
    return owner === provider && (kind === undefined || kind === 'api_key') && typeof (p.key ?? p.apiKey) === 'string'
  })
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
  entries.sort((a, b) => rank(a[0]) - rank(b[0]))
  return entries.map(([id, p]) => ({key: (p.key ?? p.apiKey) as string, source: `auth-profile:${id}`, ...(typeof p.expires === 'number' ? {expiresAt: p.expires} : {})}))
}
