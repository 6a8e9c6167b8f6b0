import {AppError} from '../../errors/app-error.js'
import {envValue} from '../../paths.js'
import {resolveGatewayPort} from '../gateway-settings.js'
import {formatConfigPath, invalidConfigError, type PathSegment} from '../issues.js'
import {loadConfig} from '../load.js'
import {describeConfigPath} from '../schema/index.js'
import type {ConfigOpsContext} from './edit-pipeline.js'
import {invalidConfigWarning} from './evaluate-tree.js'
import {parseConfigPath} from './path-syntax.js'
import {redactConfigTree} from './redact.js'
import {getAtPath} from './tree-ops.js'

export interface GetConfigInput {
  path: string
  /** The tree as written (after includes, before `${VAR}` substitution and defaults). */
  authored?: boolean
  showSecrets?: boolean
}

/** `config get --json` (config.md §10.2), plus warnings for stderr. */
export interface GetConfigResult {
  path: string
  value: unknown
  source: 'effective' | 'authored'
  isDefault: boolean
  warnings: string[]
}

/**
 * `openclaw config get`: the effective value (after includes, `${VAR}` and schema defaults; for
 * `gateway.port` the layered port the gateway will use, OPENCLAW_GATEWAY_PORT included), or the
 * authored one. An invalid config falls back to the authored tree (defaults for unset keys) with
 * a warning; an unparsable one is an error. Secrets are redacted unless `showSecrets`. Throws
 * CONFIG_PATH_NOT_FOUND (with a did-you-mean) for an unknown path or one with no value.
 */
export function getConfigValue(ctx: ConfigOpsContext, input: GetConfigInput): GetConfigResult {
  const segments = parseConfigPath(input.path)
  const rendered = formatConfigPath(segments)
  const loaded = loadConfig({paths: ctx.paths, env: ctx.env})
  const warnings = [...loaded.warnings]
  if (loaded.authored === null) throw invalidConfigError(ctx.paths.configPath, loaded.issues, ctx.paths.home)
  const authoredValue = getAtPath(loaded.authored, segments)
  const finish = (value: unknown, source: GetConfigResult['source'], isDefault: boolean): GetConfigResult => {
    const shown = input.showSecrets ? value : redactConfigTree(value, {base: segments, authored: source === 'effective' ? loaded.authored : undefined})
    return {path: rendered, value: shown, source, isDefault, warnings}
  }

  if (input.authored) {
    if (authoredValue.found) return finish(authoredValue.value, 'authored', false)
    throw notFound(rendered, segments, {authored: true})
  }
  if (loaded.config === null) {
    // The value as written (or its default): `source: "authored"` says so in --json.
    warnings.push(invalidConfigWarning(loaded.issues.length))
    if (authoredValue.found) return finish(authoredValue.value, 'authored', false)
    const described = describeConfigPath(segments)
    if (described.known && described.hasDefault) return finish(described.defaultValue, 'authored', true)
    throw notFound(rendered, segments)
  }

  const described = describeConfigPath(segments)
  if (!described.known) throw notFound(rendered, segments)
  if (rendered === 'gateway.port') {
    const layered = resolveGatewayPort({config: loaded.config, authored: loaded.authored, env: ctx.env})
    if (layered.source === 'env') {
      // bin/run.js sets the variable for --dev (port 19001): that is the profile's port, not a surprise, unless the file sets another.
      const fromDev = envValue(ctx.env, 'OPENCLAW_CLI_DEV_PORT') !== undefined
      const configured = getAtPath(loaded.authored, ['gateway', 'port'])
      if (!fromDev) warnings.push(`OPENCLAW_GATEWAY_PORT=${envValue(ctx.env, 'OPENCLAW_GATEWAY_PORT')} overrides gateway.port`)
      else if (configured.found) warnings.push(`--dev uses port ${layered.port}, not gateway.port (${String(configured.value)}) from the file`)
    }
    return finish(layered.port, 'effective', layered.source === 'default')
  }
  const effective = getAtPath(loaded.config, segments)
  if (effective.found && effective.value !== undefined) return finish(effective.value, 'effective', !authoredValue.found)
  if (described.hasDefault) return finish(described.defaultValue, 'effective', true)
  throw notFound(rendered, segments)
}

/** `Config path not found: <path>` with a did-you-mean when the schema has a close match. */
export function notFound(rendered: string, segments: readonly PathSegment[], options: {authored?: boolean} = {}): AppError {
  const described = describeConfigPath(segments)
  const suggestion = described.known ? undefined : described.suggestion
  const message = `Config path not found: ${rendered}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`
  let hint: string
  if (described.known && options.authored) hint = `It is not set in the file; see the effective value: openclaw config get ${rendered}`
  else if (described.known) hint = `It has no value and no default; set one: openclaw config set ${rendered} <value>`
  else if (suggestion !== undefined) hint = `openclaw config get ${suggestion}`
  else hint = 'See the keys the config accepts: openclaw config schema'
  return new AppError('CONFIG_PATH_NOT_FOUND', message, {hint: [hint]})
}
