/**
 * `openclaw status` (operations.md §8): a local report (version, runtime, paths, config, agents
 * and sessions from local files) enriched by the gateway when it answers. It never fails because
 * the gateway is down; `deep`/`all` add checks whose failure the command turns into exit 3.
 */
import os from 'node:os'

import {loadConfig} from '../config/load.js'
import type {ConfigIssue} from '../config/issues.js'
import {isAppError} from '../errors/app-error.js'
import type {ClientInfo} from '../gateway/client/client.js'
import {resolveGatewayTarget, type GatewayTarget, type GatewayTargetFlags} from '../gateway/client/target.js'
import {localLogLocator} from '../logs/local-file.js'
import type {ResolvedPaths} from '../paths.js'
import type {ServiceSummary} from '../service/service-summary.js'
import {readLiveGatewayLock} from '../state/gateway-lock-info.js'
import {configuredChannels, gatewayChannels, type ChannelStatus} from './channels.js'
import {deepChecks, type StatusCheck} from './checks.js'
import {probeGatewayStatus, type GatewayProbeResult, type GatewayStatus} from './gateway-probe.js'
import {collectLocalAgents, type AgentStatus, type RecentSession} from './local-agents.js'
import {recentLogProblems, type LogProblems} from './log-problems.js'

export {checksFailed, type StatusCheck} from './checks.js'

/** Service fields (operations.md §4, §8); `generatedByOpenclaw` is absent when the service could not be looked at. */
export type ServiceStatus = Omit<ServiceSummary, 'generatedByOpenclaw'> & Partial<Pick<ServiceSummary, 'generatedByOpenclaw'>>

/** The `status --json` result (operations.md §8). */
export interface StatusReport {
  version: string
  node: string
  os: {platform: string; arch: string; release: string}
  profile: string
  paths: {stateDir: string; configPath: string; logFile: string}
  config: {exists: boolean; valid: boolean; issues: ConfigIssue[]}
  service: ServiceStatus
  gateway: GatewayStatus
  agents: {defaultId: string; list: AgentStatus[]}
  channels: ChannelStatus[]
  sessions: {count: number; recent: RecentSession[]}
  /** `--deep` / `--all`. */
  checks?: StatusCheck[]
  /** `--all`: the last warn+ lines of the file log, redacted. */
  logTail?: LogProblems
  collection: {source: 'gateway' | 'local'; notCollected: string[]}
}

export interface StatusOptions {
  paths: ResolvedPaths
  env: NodeJS.ProcessEnv
  /** Client flags (operations.md §1.2). */
  flags: GatewayTargetFlags
  /** One budget for every probe, ms (`--timeout`, 10000). */
  timeoutMs: number
  /** Our version and platform: reported, and sent in `connect`. */
  clientInfo: ClientInfo
  deep?: boolean
  /** `--deep` plus the last warn+ log lines. */
  all?: boolean
  /** Adds the gateway PID from its lock. */
  verbose?: boolean
  now?: () => Date
}


/** Builds the report; throws only USAGE (bad client flags). `warnings` are one-line notes for stderr. */
export async function collectStatus(options: StatusOptions): Promise<{report: StatusReport; warnings: string[]}> {
  const {paths, env} = options
  const deep = options.deep === true || options.all === true
  const now = options.now ?? (() => new Date())
  const loaded = loadConfig({paths, env})
  const {config, authored} = loaded
  const warnings = [...loaded.warnings]
  const logFile = localLogLocator({paths, config, authored})(now())
  const local = collectLocalAgents(paths, config, authored)
  warnings.push(...local.problems.map((problem) => `session store ${problem}`))
  const mode = config?.gateway.mode ?? 'local'

  let target: GatewayTarget | null = null
  let probe: GatewayProbeResult
  try {
    target = resolveGatewayTarget({flags: options.flags, env, config, authored})
    probe = await probeGatewayStatus({target, mode, timeoutMs: options.timeoutMs, clientInfo: options.clientInfo, deep})
  } catch (error) {
    if (!isAppError(error) || error.code !== 'ENV_INVALID') throw error
    probe = unresolvedTarget(mode, error.code, error.message)
  }
  if (options.verbose === true) probe.gateway.pid = readLiveGatewayLock(paths)?.pid ?? null

  const fromConfig = configuredChannels(config, env)
  const notCollected: string[] = []
  const {summarizeService} = await import('../service/service-summary.js')
  const service = await summarizeService(paths, env)
  if (probe.health === null) notCollected.push('channels: live state (gateway not reachable; listed from the config)')
  if (config === null) notCollected.push('channels: the config is invalid')

  const report: StatusReport = {
    version: options.clientInfo.version,
    node: process.version,
    os: {platform: process.platform, arch: process.arch, release: os.release()},
    profile: paths.profile ?? 'default',
    paths: {stateDir: paths.stateDir, configPath: paths.configPath, logFile},
    config: {exists: loaded.exists, valid: loaded.issues.length === 0, issues: loaded.issues},
    service,
    gateway: probe.gateway,
    agents: local.agents,
    channels: probe.health === null ? fromConfig : gatewayChannels(probe.health, fromConfig),
    sessions: local.sessions,
    collection: {source: probe.health === null ? 'local' : 'gateway', notCollected},
  }
  if (deep) {
    const loopbackPort = target?.source === 'loopback' ? Number(new URL(target.url).port) : null
    report.checks = deepChecks({config: report.config, probe, loopbackPort, service})
  }
  if (options.all === true) {
    notCollected.push('doctor checks: not available in this build yet')
    try {
      report.logTail = await recentLogProblems(logFile, config, env)
    } catch (error) {
      if (!isAppError(error)) throw error
      notCollected.push(`log tail: ${error.message}`)
    }
  }
  return {report, warnings}
}

function unresolvedTarget(mode: string, code: string, message: string): GatewayProbeResult {
  return {
    gateway: {url: null, mode, reachable: false, latencyMs: null, version: null, protocol: null, ready: null, failing: [], error: {code, message}},
    health: null,
    readyError: null,
    failure: {code, details: {}},
  }
}
