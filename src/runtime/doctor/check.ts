/**
 * The check type shared by `doctor` and `status --deep` (operations.md §5.2), and the runner
 * that walks an ordered list of checks, applying fixes when asked. Pure over the context: the
 * runtime never prints or prompts; a lossy fix is applied only when approved (`--yes`, or a flag
 * that asks for exactly that fix).
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip'

export interface CheckFix {
  /** What the fix does, one line. */
  summary: string
  /** Safe = lossless, applied by `--fix`; lossy ones need `--yes` (or their own flag). */
  safe: boolean
  /** The command that applies it (shown to humans as `fix: <command>`). */
  command?: string
}

export interface CheckResult {
  id: string
  title: string
  status: CheckStatus
  message: string
  fix?: CheckFix
  /** Set when this run repaired something: what it did and which files it touched. */
  fixed?: {actions: string[]; files: string[]}
}

/** What inspecting a check finds; `repair` is offered only when a fix can be applied now. */
export interface Finding {
  status: CheckStatus
  message: string
  fix?: CheckFix
  /** `consent.lossy`: the user approved this check's lossy fix (`--yes`, or a yes at its prompt). */
  repair?: (consent: {lossy: boolean}) => Promise<RepairOutcome> | RepairOutcome
  /** The user asked for this very fix by flag (`--restore-last-good`, `--generate-gateway-token`). */
  approved?: boolean
}

export interface RepairOutcome {
  actions: string[]
  files: string[]
}

export interface Check<C> {
  id: string
  title: string
  /** Part of `--lint` (no network, no service manager, no writes). */
  lint: boolean
  inspect(ctx: C): Promise<Finding> | Finding
}

/** What a consent prompt shows for one lossy fix. */
export interface FixQuestion {
  id: string
  title: string
  /** What the check found. */
  message: string
  fix: CheckFix
}

/** Asks the user whether to apply one lossy fix (the CLI's terminal prompt); never called with `yes`. */
export type ApproveFix = (question: FixQuestion) => Promise<boolean>

export interface RunChecksOptions {
  /** Apply repairs (safe ones; lossy ones when approved). */
  fix: boolean
  /** Approves lossy repairs. */
  yes: boolean
  /** Asked before each lossy repair `yes` does not cover (operations.md §5.1, on a TTY); absent = skip them. */
  approve?: ApproveFix
  only?: readonly string[]
  skip?: readonly string[]
  lint?: boolean
}

export interface CheckSummary {
  pass: number
  warn: number
  fail: number
  skip: number
  fixed: number
}

/** Thrown through by the runner when a repair failed midway; carries the results so far. */
export class RepairFailed extends Error {
  constructor(
    readonly checkId: string,
    readonly results: CheckResult[],
    readonly original: unknown,
  ) {
    super(`${checkId}: ${original instanceof Error ? original.message : String(original)}`)
  }
}

/**
 * Runs `checks` in order. A check that finds a repairable problem is repaired (when allowed) and
 * inspected again, so its final status reflects the state after the fix.
 */
export async function runChecks<C>(checks: ReadonlyArray<Check<C>>, ctx: C, options: RunChecksOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  for (const check of checks) {
    if (options.lint === true && !check.lint) continue
    if (options.only !== undefined && options.only.length > 0 && !options.only.includes(check.id)) continue
    if (options.skip?.includes(check.id) === true) continue
    let finding = await check.inspect(ctx)
    let fixed: RepairOutcome | undefined
    const wanted = options.fix && finding.repair !== undefined && finding.status !== 'pass' && finding.status !== 'skip'
    const consented = wanted && finding.fix !== undefined && (options.yes || finding.approved === true || (!finding.fix.safe && (await ask(options.approve, check, finding))))
    if (wanted && (consented || finding.fix?.safe === true) && finding.repair !== undefined) {
      try {
        fixed = await finding.repair({lossy: consented})
      } catch (error) {
        results.push({id: check.id, title: check.title, status: 'fail', message: `fix failed: ${error instanceof Error ? error.message : String(error)}`})
        throw new RepairFailed(check.id, results, error)
      }
      finding = await check.inspect(ctx)
    }
    const result: CheckResult = {id: check.id, title: check.title, status: finding.status, message: finding.message}
    if (finding.fix !== undefined && finding.status !== 'pass') result.fix = finding.fix
    if (fixed !== undefined && fixed.actions.length > 0) result.fixed = fixed
    results.push(result)
  }
  return results
}

/** The user's answer for one lossy fix; false without a prompt (non-interactive). */
async function ask<C>(approve: ApproveFix | undefined, check: Check<C>, finding: Finding): Promise<boolean> {
  if (approve === undefined || finding.fix === undefined) return false
  return approve({id: check.id, title: check.title, message: finding.message, fix: finding.fix})
}

export function summarize(results: readonly CheckResult[]): CheckSummary {
  const summary: CheckSummary = {pass: 0, warn: 0, fail: 0, skip: 0, fixed: 0}
  for (const r of results) {
    summary[r.status]++
    if (r.fixed !== undefined) summary.fixed++
  }
  return summary
}
