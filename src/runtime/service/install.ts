import {AppError} from '../errors/app-error.js'
import {renderEnvFile} from './env-file.js'
import {hostCopyFile, hostReadFile, hostRun, hostWriteFile} from './host.js'
import {planInstall, type InstallOptions, type InstallPlan} from './install-plan.js'
import {ensureLinger, type LingerState} from './linger.js'
import {unitBaseName} from './names.js'
import {waitForGatewayReady} from './wait-ready.js'

export type {InstallOptions} from './install-plan.js'

export type StepStatus = 'done' | 'unchanged' | 'skipped' | 'warning' | 'failed'

export interface StepReport {
  id: string
  status: StepStatus
  detail?: string
}

/** One install step: an id, a title for the task list, and its work. */
export interface InstallStep {
  id: string
  title: string
  run(): Promise<{status: StepStatus; detail?: string}>
}

/** The `gateway install` result (operations.md §2.1) plus the step list (issue 8). */
export interface InstallResult {
  manager: 'systemd' | 'launchd'
  scope: 'user' | 'system'
  name: string
  unitPath: string
  envFile: string | null
  backup: string | null
  changed: boolean
  started: boolean
  ready: boolean | null
  failing: string[]
  linger: LingerState
  steps: StepReport[]
  notices: string[]
  warnings: string[]
  /** Commands for the user: logs and status. */
  next: string[]
}

/** A planned install: run `steps` in order (the terminal UI shows them as a task list), then read `result()`. */
export interface PreparedInstall {
  plan: InstallPlan
  steps: InstallStep[]
  result(): InstallResult
}

/**
 * `openclaw gateway install` (operations.md §4.4): plans (preflight, scope, render), then writes
 * the unit (`.bak` of a changed one; no write when byte-identical), the env file, reloads,
 * enables and (re)starts only when something changed or the unit is inactive, waits for
 * readiness and handles linger. Returns the result with every step's status.
 */
export async function installGatewayService(options: InstallOptions): Promise<InstallResult> {
  const prepared = await prepareGatewayInstall(options)
  for (const step of prepared.steps) await runStep(prepared, step)
  return prepared.result()
}

/** Runs one step and records it; a thrown error records `failed` and propagates. */
export async function runStep(prepared: PreparedInstall, step: InstallStep): Promise<{status: StepStatus; detail?: string}> {
  try {
    const outcome = await step.run()
    prepared.result().steps.push({id: step.id, status: outcome.status, ...(outcome.detail === undefined ? {} : {detail: outcome.detail})})
    return outcome
  } catch (error) {
    prepared.result().steps.push({id: step.id, status: 'failed', detail: error instanceof Error ? error.message : String(error)})
    if (error instanceof AppError) throw new AppError(error.code, error.message, {hint: error.hint, details: error.details, result: prepared.result(), cause: error})
    throw new AppError('SERVICE_COMMAND_FAILED', `install step ${step.id} failed: ${error instanceof Error ? error.message : String(error)}`, {hint: ['openclaw gateway status'], result: prepared.result(), cause: error})
  }
}

export async function prepareGatewayInstall(options: InstallOptions): Promise<PreparedInstall> {
  const plan = await planInstall(options)
  const {host, target} = plan
  const systemd = target.manager === 'systemd'
  const user = target.scope === 'user'
  const base = unitBaseName(target.name)
  const result: InstallResult = {
    manager: target.manager,
    scope: target.scope,
    name: target.name,
    unitPath: target.unitPath,
    envFile: target.envFile,
    backup: null,
    changed: false,
    started: false,
    ready: null,
    failing: [],
    linger: user && systemd ? 'yes' : 'n/a',
    steps: [],
    notices: [...plan.notices],
    warnings: [...plan.warnings],
    next: systemd ? [`Logs: journalctl ${user ? '--user ' : ''}-u ${base} -f`, 'Status: openclaw gateway status'] : [`Logs: ${plan.servicePaths.stateDir}/logs/gateway.log`, 'Status: openclaw gateway status'],
  }
  const systemctl = (args: string[]) => hostRun(host, 'systemctl', [...target.systemctlScope, ...args], {privileged: target.privileged})
  const must = async (promise: ReturnType<typeof systemctl>, what: string) => {
    const r = await promise
    if (r.exitCode !== 0) throw new AppError('SERVICE_COMMAND_FAILED', `${what} failed: ${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`}`, {hint: ['openclaw gateway status']})
    return r
  }
  let unitChanged = false
  let envChanged = false
  let active = false

  const writeUnit: InstallStep = {
    id: systemd ? 'write-unit' : 'write-plist',
    title: `Write ${target.unitPath}`,
    async run() {
      if (plan.existing === plan.rendered) return {status: 'unchanged', detail: target.unitPath}
      if (plan.existing !== null) {
        result.backup = `${target.unitPath}.bak`
        await hostCopyFile(host, target.unitPath, result.backup, target.privileged)
      }
      await hostWriteFile(host, target.unitPath, plan.rendered, 0o644, target.privileged)
      unitChanged = true
      return {status: 'done', detail: result.backup === null ? target.unitPath : `${target.unitPath} (previous copy: ${result.backup})`}
    },
  }
  const envFile: InstallStep = {
    id: 'env-file',
    title: `Write the env file ${target.envFile}`,
    async run() {
      const file = target.envFile!
      const existing = await hostReadFile(host, file, target.privileged)
      const next = renderEnvFile(existing, {shellEnv: options.env, upserts: plan.envUpserts})
      if (existing === next) return {status: 'unchanged', detail: file}
      await hostWriteFile(host, file, next, 0o600, target.privileged)
      envChanged = true
      return {status: 'done', detail: file}
    },
  }
  const daemonReload: InstallStep = {
    id: 'daemon-reload',
    title: 'Reload systemd',
    async run() {
      if (!unitChanged) return {status: 'skipped', detail: 'unit unchanged'}
      await must(systemctl(['daemon-reload']), 'systemctl daemon-reload')
      return {status: 'done'}
    },
  }
  const enable: InstallStep = {
    id: 'enable',
    title: `Enable ${target.name}`,
    async run() {
      let r = await systemctl(['enable', target.name])
      if (r.exitCode !== 0 && /not found/i.test(r.stderr)) {
        await must(systemctl(['daemon-reload']), 'systemctl daemon-reload')
        r = await systemctl(['enable', target.name])
      }
      if (r.exitCode !== 0) throw new AppError('SERVICE_COMMAND_FAILED', `systemctl enable ${target.name} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`, {hint: ['openclaw gateway status']})
      const state = await systemctl(['is-active', target.name])
      active = state.stdout.trim() === 'active'
      return {status: 'done'}
    },
  }
  const start: InstallStep = {
    id: 'start',
    title: `Start ${target.name}`,
    async run() {
      if (options.noStart === true) return {status: 'skipped', detail: '--no-start'}
      if (!unitChanged && !envChanged && active) {
        return {status: 'unchanged', detail: `Gateway service already installed and running (${target.name}).`}
      }
      await must(systemctl(['restart', target.name]), `systemctl restart ${target.name}`)
      result.started = true
      return {status: 'done', detail: active ? 'restarted' : 'started'}
    },
  }
  const launchd: InstallStep[] = [
    {
      id: 'bootstrap',
      title: `Load ${target.name} into launchd`,
      async run() {
        if (!unitChanged && options.noStart !== true) {
          const loaded = await hostRun(host, 'launchctl', ['print', `gui/${host.identity.uid}/${target.name}`])
          if (loaded.exitCode === 0) return {status: 'unchanged', detail: `Gateway service already installed and running (${target.name}).`}
        }
        await hostRun(host, 'launchctl', ['bootout', `gui/${host.identity.uid}/${target.name}`])
        if (options.noStart === true) return {status: 'skipped', detail: '--no-start'}
        await must(hostRun(host, 'launchctl', ['bootstrap', `gui/${host.identity.uid}`, target.unitPath]), 'launchctl bootstrap')
        await must(hostRun(host, 'launchctl', ['kickstart', '-k', `gui/${host.identity.uid}/${target.name}`]), 'launchctl kickstart')
        result.started = true
        return {status: 'done'}
      },
    },
  ]
  const wait: InstallStep = {
    id: 'wait',
    title: 'Wait for the gateway to be ready',
    async run() {
      const waitMs = (options.waitSeconds ?? 30) * 1000
      if (!result.started) return {status: 'skipped', detail: options.noStart === true ? '--no-start' : 'not restarted'}
      if (waitMs <= 0) return {status: 'skipped', detail: '--wait 0'}
      const outcome = await waitForGatewayReady({port: plan.port, secret: plan.secret, waitMs})
      result.ready = outcome.ready
      result.failing = outcome.failing
      if (!outcome.answered) {
        const journal = systemd ? await hostRun(host, 'journalctl', [...target.systemctlScope, '-u', base, '-n', '20', '--no-pager']) : null
        const lines = journal !== null && journal.exitCode === 0 ? journal.stdout.trim() : ''
        throw new AppError('SERVICE_START_FAILED', `Installed, but the gateway didn't start (no answer on port ${plan.port} within ${Math.round(waitMs / 1000)} s)${lines === '' ? '' : `\n${lines}`}`, {hint: ['openclaw gateway status']})
      }
      if (!outcome.ready) {
        result.warnings.push(`The gateway started but is degraded: ${outcome.failing.join(', ')}`)
        return {status: 'warning', detail: `failing: ${outcome.failing.join(', ')}`}
      }
      return {status: 'done', detail: `ready on port ${plan.port}`}
    },
  }
  const linger: InstallStep = {
    id: 'linger',
    title: `Keep the gateway running after logout (linger for ${plan.serviceUser})`,
    async run() {
      const outcome = await ensureLinger(host, plan.serviceUser)
      result.linger = outcome.state
      if (outcome.state === 'failed' || outcome.state === 'n/a') result.warnings.push(outcome.detail)
      return {status: outcome.state === 'yes' ? 'unchanged' : outcome.state === 'enabled' ? 'done' : outcome.state === 'failed' ? 'warning' : 'skipped', detail: outcome.detail}
    },
  }
  const steps = systemd ? [writeUnit, envFile, daemonReload, enable, start, wait, ...(user ? [linger] : [])] : [writeUnit, ...launchd, wait]
  return {
    plan,
    steps,
    result() {
      result.changed = unitChanged || envChanged
      return result
    },
  }
}
