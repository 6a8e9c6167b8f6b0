/**
 * The checks `status --deep` adds (operations.md §8): live health, readiness, the port, config
 * validity, and the installed service unit. Pure over collected facts.
 */
import {snapshotProblems} from '../gateway/client/health.js'
import type {GatewayProbeResult} from './gateway-probe.js'

import type {CheckResult, CheckStatus} from '../doctor/check.js'

export type {CheckStatus}

/** The shared check shape of doctor (operations.md §5.2), without doctor's title and fix fields. */
export type StatusCheck = Pick<CheckResult, 'id' | 'status' | 'message'>

export interface DeepCheckInputs {
  config: {exists: boolean; valid: boolean; issues: readonly unknown[]}
  probe: GatewayProbeResult
  /** The loopback port when the target is the implicit loopback one, else null (no port check). */
  loopbackPort: number | null
  /** The installed service, when status collected it. */
  service?: {installed: boolean; name: string | null; active: boolean | null; generatedByOpenclaw?: boolean | null}
}

/** Only `fail` makes `status --deep` exit 3; `warn` and `skip` are informative. */
export function deepChecks(input: DeepCheckInputs): StatusCheck[] {
  return [healthCheck(input.probe), readyCheck(input.probe), portCheck(input.probe, input.loopbackPort), configCheck(input.config), serviceCheck(input.service)]
}

function serviceCheck(service: DeepCheckInputs['service']): StatusCheck {
  const id = 'service.unit'
  if (service === undefined || !service.installed) return {id, status: 'skip', message: 'no gateway service installed (install one: openclaw gateway install)'}
  if (service.generatedByOpenclaw === false) return {id, status: 'warn', message: `${service.name} was not written by openclaw (replace it: openclaw gateway install --force)`}
  if (service.active === false) return {id, status: 'warn', message: `${service.name} is installed but not running (start it: openclaw gateway start)`}
  return {id, status: 'pass', message: `${service.name} installed${service.active ? ' and running' : ''}`}
}

/** True when any check failed. */
export function checksFailed(checks: readonly StatusCheck[]): boolean {
  return checks.some((check) => check.status === 'fail')
}

function healthCheck(probe: GatewayProbeResult): StatusCheck {
  const id = 'gateway.health'
  if (probe.health === null) return {id, status: 'fail', message: probe.gateway.error?.message ?? 'no health answer'}
  const problems = snapshotProblems(probe.health)
  return problems.length === 0 ? {id, status: 'pass', message: `healthy (live probe in ${probe.gateway.latencyMs ?? '?'} ms)`} : {id, status: 'fail', message: `unhealthy: ${problems.join(', ')}`}
}

function readyCheck(probe: GatewayProbeResult): StatusCheck {
  const id = 'gateway.ready'
  if (!probe.gateway.reachable) return {id, status: 'skip', message: 'gateway not reachable'}
  if (probe.readyError !== null) return {id, status: 'fail', message: `readiness unknown (${probe.readyError})`}
  if (probe.gateway.ready === true && probe.gateway.failing.length === 0) return {id, status: 'pass', message: 'ready'}
  const failing = probe.gateway.failing
  return {id, status: 'fail', message: failing.length > 0 ? `not ready (failing: ${failing.join(', ')})` : 'not ready'}
}

function portCheck(probe: GatewayProbeResult, port: number | null): StatusCheck {
  const id = 'gateway.port'
  if (port === null) return {id, status: 'skip', message: 'the target is not the local loopback gateway'}
  if (probe.gateway.reachable) return {id, status: 'pass', message: `port ${port} serves the gateway`}
  const failure = probe.failure
  if (failure?.code === 'GATEWAY_UNREACHABLE' && failure.details.errno === 'ECONNREFUSED') return {id, status: 'pass', message: `port ${port} is free (no gateway running)`}
  if (failure?.code === 'GATEWAY_PROTOCOL' && typeof failure.details.httpStatus === 'number') {
    return {id, status: 'fail', message: `port ${port} answers HTTP ${failure.details.httpStatus}: another program is using it`}
  }
  return {id, status: 'warn', message: `port ${port}: ${probe.gateway.error?.message ?? 'unknown state'}`}
}

function configCheck(config: DeepCheckInputs['config']): StatusCheck {
  const id = 'config.valid'
  if (!config.exists) return {id, status: 'pass', message: 'no config file; defaults apply'}
  if (config.valid) return {id, status: 'pass', message: 'valid'}
  const n = config.issues.length
  return {id, status: 'fail', message: `${n} issue${n === 1 ? '' : 's'}; see: openclaw config validate`}
}
