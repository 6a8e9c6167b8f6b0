import type {InstallResult, InstallStep, StepStatus} from '../runtime/service/install.js'

/**
 * Runs install steps: as a listr2 task list on a TTY (stderr), silently otherwise. `runOne`
 * records each step's outcome (the runtime's `runStep`); listr2 only shows progress.
 */
export async function runServiceSteps(steps: readonly InstallStep[], runOne: (step: InstallStep) => Promise<{status: StepStatus; detail?: string}>, options: {tty: boolean}): Promise<void> {
  if (!options.tty) {
    for (const step of steps) await runOne(step)
    return
  }
  const {Listr} = await import('listr2')
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_ctx: unknown, task: {title: string; skip: (message?: string) => void}) => {
        const outcome = await runOne(step)
        if (outcome.status === 'skipped') task.skip(`${step.title} (skipped${outcome.detail === undefined ? '' : `: ${outcome.detail}`})`)
        else if (outcome.status === 'unchanged') task.title = `${step.title} (unchanged)`
        else if (outcome.status === 'warning') task.title = `${step.title} (warning: ${outcome.detail ?? ''})`
      },
    })),
    {concurrent: false, exitOnError: true, rendererOptions: {collapseSkips: false}, fallbackRendererCondition: !options.tty},
  )
  await list.run()
}

/** The human summary printed after the steps (operations.md §4.4 step 7). */
export function renderInstallResult(result: InstallResult): string[] {
  const kind = result.manager === 'systemd' ? `systemd ${result.scope} service` : 'launchd agent'
  const lines: string[] = []
  const unchanged = result.steps.find((s) => s.id === 'start' || s.id === 'bootstrap')?.status === 'unchanged'
  if (unchanged && !result.changed) lines.push(`Gateway service already installed and running (${result.name}).`)
  else lines.push(`Installed ${kind}: ${result.unitPath}`)
  if (result.backup !== null) lines.push(`Previous unit backed up to: ${result.backup}`)
  if (result.ready === true) lines.push('Gateway is ready.')
  else if (!result.started && result.steps.some((s) => s.id === 'start' && s.status === 'skipped')) lines.push('Not started (--no-start). Start it: openclaw gateway start')
  if (result.linger === 'enabled') lines.push('Lingering enabled: the gateway keeps running after you log out.')
  lines.push(...result.next)
  return lines
}
