import {AppError, isAppError} from '../errors/app-error.js'
import type {PathInputs} from '../paths.js'

export {pathInputsFromProcess} from '../paths.js'
import {RepairFailed, runChecks, summarize, type ApproveFix, type CheckResult, type CheckSummary} from './check.js'
import {DOCTOR_CHECKS} from './checks/index.js'
import {DoctorContext, type DoctorFlags} from './context.js'

export interface DoctorOptions extends DoctorFlags {
  only?: string[]
  skip?: string[]
  /** Consent for each lossy fix `--yes` does not cover; supplied by the CLI on a TTY only. */
  approve?: ApproveFix
}

/** The report of operations.md §5.5. */
export interface DoctorReport {
  stateDir: string
  configPath: string
  mode: 'diagnose' | 'fix' | 'lint'
  checks: CheckResult[]
  backupDir: string | null
  summary: CheckSummary
}

/**
 * Runs every doctor check in order, whatever state the config is in. Without `fix` nothing is
 * written. Throws CHECKS_FAILED (exit 3, report in `result`) when a check still fails, and
 * DOCTOR_FIX_FAILED / DOCTOR_BACKUP_FAILED (exit 1, report so far) when a fix could not be made.
 */
export async function runDoctor(inputs: {pathInputs: PathInputs; env: NodeJS.ProcessEnv; version: string; now?: Date}, options: DoctorOptions): Promise<DoctorReport> {
  if (options.lint && options.fix) throw new AppError('USAGE', '--lint is read-only and cannot be combined with --fix', {hint: ['openclaw doctor --lint', 'openclaw doctor --fix']})
  const unknown = [...(options.only ?? []), ...(options.skip ?? [])].filter((id) => !DOCTOR_CHECKS.some((c) => c.id === id))
  if (unknown.length > 0) throw new AppError('USAGE', `unknown check id: ${unknown.join(', ')}`, {hint: [`Known checks: ${DOCTOR_CHECKS.map((c) => c.id).join(', ')}`]})
  const ctx = new DoctorContext(inputs.pathInputs, inputs.env, inputs.version, options, inputs.now)
  const mode = options.lint ? 'lint' : options.fix ? 'fix' : 'diagnose'
  const report = (checks: CheckResult[]): DoctorReport => ({
    stateDir: ctx.paths.stateDir,
    configPath: ctx.paths.configPath,
    mode,
    checks,
    backupDir: ctx.backup.dir,
    summary: summarize(checks),
  })
  let checks: CheckResult[]
  try {
    checks = await runChecks(DOCTOR_CHECKS, ctx, {fix: options.fix, yes: options.yes, lint: options.lint, only: options.only, skip: options.skip, approve: options.approve})
  } catch (error) {
    if (!(error instanceof RepairFailed)) throw error
    const partial = report(error.results)
    const cause = error.original
    const code = isAppError(cause) && cause.code === 'DOCTOR_BACKUP_FAILED' ? 'DOCTOR_BACKUP_FAILED' : 'DOCTOR_FIX_FAILED'
    const where = partial.backupDir === null ? 'nothing was changed before it' : `changes so far are backed up in ${partial.backupDir}`
    throw new AppError(code, `${error.message} (${where})`, {hint: isAppError(cause) ? cause.hint : ['Fix the cause, then: openclaw doctor --fix'], result: partial, cause})
  }
  const result = report(checks)
  if (result.summary.fail > 0) {
    const failing = checks.filter((c) => c.status === 'fail').map((c) => c.id)
    throw new AppError('CHECKS_FAILED', `${failing.length} check${failing.length === 1 ? '' : 's'} failed: ${failing.join(', ')}`, {
      hint: checks.filter((c) => c.status === 'fail' && c.fix !== undefined).map((c) => c.fix?.command ?? c.fix?.summary ?? '').filter((h) => h !== ''),
      result,
    })
  }
  return result
}
