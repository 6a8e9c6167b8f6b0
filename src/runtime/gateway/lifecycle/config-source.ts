/**
 * The running gateway's view of its config sources: the source hash clients use for optimistic
 * concurrency (protocol.md §6.3), loads that never touch the process environment until the
 * result is applied, the exact update of config-origin env vars (config.md §3.1), and the
 * secret values the logger must always redact.
 */
import {createHash} from 'node:crypto'
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'

import {redactConfigTree} from '../../config/edit/redact.js'
import {isPlainObject} from '../../config/deep-merge.js'
import type {GatewayAuthSettings} from '../../config/gateway-settings.js'
import {loadConfig, type LoadedConfig} from '../../config/load.js'
import {MAX_CONFIG_BYTES} from '../../config/json5-file.js'
import type {Config} from '../../config/schema/index.js'
import type {LoggingSettings} from '../../logging/index.js'
import type {ResolvedPaths} from '../../paths.js'

/** A load plus the environment it was resolved against (a copy, with the config's `env` section applied). */
export interface ConfigCandidate {
  loaded: LoadedConfig
  /** `sha256:<hex>` over the sources, or null when the top file does not exist. */
  hash: string | null
  env: NodeJS.ProcessEnv
}

/**
 * `sha256:` + lowercase hex SHA-256 over each source file in load order: absolute path, NUL,
 * bytes, NUL (protocol.md §6.3). A missing top file gives null; a missing include hashes as empty.
 * Only regular files within the 2 MB config limit are read (issue 6, defect 3): a FIFO, a device
 * or a symlink to a huge file hashes as a marker of what it is, without blocking or buffering it.
 */
export function configSourceHash(files: readonly string[]): string | null {
  const hash = createHash('sha256')
  for (const [index, file] of files.entries()) {
    const read = readSourceBytes(file)
    if (read === 'missing' && index === 0) return null
    hash.update(file).update('\0')
    if (typeof read === 'string') hash.update(read === 'missing' ? '' : `\0openclaw:${read}`)
    else hash.update(read)
    hash.update('\0')
  }
  return `sha256:${hash.digest('hex')}`
}

/** The bytes of a regular file of at most `maxBytes`, else what it is instead (checked on the open descriptor, so no swap can slip in). */
export function readSourceBytes(file: string, maxBytes = MAX_CONFIG_BYTES): Buffer | 'missing' | 'not-a-file' | `too-large:${number}:${number}` | 'unreadable' {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return 'not-a-file'
    if (stats.size > maxBytes) return `too-large:${stats.size}:${Math.round(stats.mtimeMs)}`
    const bytes = Buffer.alloc(stats.size)
    let length = 0
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, length)
      if (n === 0) break
      length += n
    }
    return bytes.subarray(0, length)
  } catch {
    return 'unreadable'
  } finally {
    closeSync(fd)
  }
}

/**
 * Loads the config as a reload would (no login shell), against a copy of `env` in which the
 * variables the running config set (`previousEnvFromConfig`) are replaced by the new `env`
 * section. The process environment is untouched until {@link syncConfigEnv}.
 */
export function loadCandidate(paths: ResolvedPaths, env: NodeJS.ProcessEnv, previousEnvFromConfig: readonly string[]): ConfigCandidate {
  const copy: NodeJS.ProcessEnv = {...env}
  const loaded = loadConfig({paths, env: copy, previousEnvFromConfig, shellEnv: false})
  return {loaded, hash: configSourceHash(loaded.files), env: copy}
}

/**
 * Makes `target` hold exactly the config-origin variables of the new load: names the previous
 * config set and the new one does not are removed, the new ones take their values from `source`.
 * Variables from higher sources (process env, dotenv files) are never touched: a load never
 * lists them in `envFromConfig`.
 */
export function syncConfigEnv(target: NodeJS.ProcessEnv, source: Readonly<Record<string, string | undefined>>, previous: readonly string[], next: readonly string[]): void {
  for (const name of previous) if (!next.includes(name)) delete target[name]
  for (const name of next) {
    const value = source[name]
    if (value === undefined) delete target[name]
    else target[name] = value
  }
}

/** The values of `names` in `env` (what a rollback restores). */
export function pickEnv(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, env[name]]))
}

/**
 * The strings of `tree` that its redacted copy hides (the leaves `config get` redacts), without
 * duplicates. `${NAME}` references are shown as written, so they are not secrets here.
 */
export function secretValuesIn(tree: unknown, redacted: unknown = redactConfigTree(tree)): string[] {
  const out = new Set<string>()
  const collect = (original: unknown, shown: unknown): void => {
    if (typeof original === 'string') {
      if (original !== '' && original !== shown) out.add(original)
    } else if (Array.isArray(original) && Array.isArray(shown)) {
      original.forEach((item, index) => collect(item, shown[index]))
    } else if (isPlainObject(original) && isPlainObject(shown)) {
      for (const [key, value] of Object.entries(original)) collect(value, shown[key])
    }
  }
  collect(tree, redacted)
  return [...out]
}

/**
 * Every secret value of the config plus the gateway's resolved token and password (which may
 * come from a flag or the env): the logger redacts them wherever they appear.
 */
export function configuredSecrets(config: Config | null, auth?: Pick<GatewayAuthSettings, 'token' | 'password'>): string[] {
  const out = new Set(config === null ? [] : secretValuesIn(config))
  for (const secret of [auth?.token, auth?.password]) if (secret !== undefined && secret !== '') out.add(secret)
  return [...out]
}

/**
 * Logging settings for the gateway logger: the config's when it is valid; for an invalid config
 * a plain authored `logging.file`, so even the refusal lands in the file the user configured.
 */
export function loggingSettingsOf(loaded: LoadedConfig): LoggingSettings | undefined {
  if (loaded.config !== null) return loaded.config.logging
  const logging = loaded.authored?.logging
  if (!isPlainObject(logging)) return undefined
  const settings: LoggingSettings = {}
  if (typeof logging.file === 'string' && !logging.file.includes('${')) settings.file = logging.file
  return settings
}
