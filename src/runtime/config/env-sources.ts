// STUB: replaced by the config-loading work.
export function loadDotenvSources(_env: NodeJS.ProcessEnv, _opts: {phase: 'cwd' | 'state'; cwd?: string; stateDir?: string}): {applied: string[]; warnings: string[]} {
  return {applied: [], warnings: []}
}
