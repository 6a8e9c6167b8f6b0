import {loadConfig, type LoadedConfig} from '../config/load.js'
import {isPlainObject} from '../config/deep-merge.js'
import {resolvePaths, type PathInputs, type ResolvedPaths} from '../paths.js'
import {compactStamp, DoctorBackup} from './backup-session.js'

export interface DoctorFlags {
  fix: boolean
  yes: boolean
  lint: boolean
  restoreLastGood: boolean
  generateGatewayToken: boolean
}

/**
 * What every doctor check reads: the paths (re-resolved after a legacy state dir is renamed),
 * the config as loaded now (re-read after each config fix), the flags and the run's backup.
 */
export class DoctorContext {
  paths: ResolvedPaths
  readonly backup: DoctorBackup
  readonly now: Date
  /** Set once `--generate-gateway-token` has rotated the token in this run. */
  tokenRotated = false
  private loaded: LoadedConfig | null = null

  constructor(
    private readonly pathInputs: PathInputs,
    readonly env: NodeJS.ProcessEnv,
    readonly version: string,
    readonly flags: DoctorFlags,
    now: Date = new Date(),
  ) {
    this.paths = resolvePaths(pathInputs)
    this.now = now
    this.backup = new DoctorBackup(() => this.paths.stateDir, compactStamp(now), version, now.toISOString())
  }

  /** The config as it is on disk now (cached until `invalidate`). Never throws for config problems. */
  config(): LoadedConfig {
    // A copy of the env: the config's `env` section must not leak into the next load.
    this.loaded ??= loadConfig({paths: this.paths, env: {...this.env}, shellEnv: false})
    return this.loaded
  }

  /** True when the config file parsed (missing counts as parsed: defaults apply). */
  configParsed(): boolean {
    const loaded = this.config()
    return loaded.authored !== null && !loaded.issues.some((i) => i.code === 'CONFIG_PARSE' || i.code === 'CONFIG_INCLUDE')
  }

  /** After a change on disk: paths are resolved again and the config re-read on next use. */
  invalidate(): void {
    this.paths = resolvePaths(this.pathInputs)
    this.loaded = null
  }

  /** The default agent id: `default: true`, else the first entry, else `main` (config.md §7.2). */
  defaultAgentId(): string {
    const authored = this.config().authored
    const list = isPlainObject(authored?.agents) && Array.isArray(authored.agents.list) ? authored.agents.list : []
    const flagged = list.find((a) => isPlainObject(a) && a.default === true) ?? list[0]
    return isPlainObject(flagged) && typeof flagged.id === 'string' ? flagged.id.toLowerCase() : 'main'
  }

  fixCommand(extra = ''): string {
    const profile = this.paths.profile === null ? '' : ` --profile ${this.paths.profile}`
    return `openclaw${profile} doctor --fix${extra}`
  }
}
