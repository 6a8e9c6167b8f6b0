/** Human output of `config set|unset|patch` (config.md §10.2, §10.4). */
export function renderConfigEdit(result: {changed: boolean; dryRun: boolean; reloadHint: string | null}, what: string): string[] {
  if (!result.changed) return ['No change']
  if (result.dryRun) return [`Would update ${what} (dry run; nothing was written).`]
  return result.reloadHint === null ? [`Updated ${what}.`] : [`Updated ${what}.`, result.reloadHint]
}

/** `config get`: strings bare, everything else as 2-space JSON. */
export function renderConfigValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
}

/** The file-log line for a written config edit (paths and reload class only: values may be secret). */
export function configEditLog(command: string, what: string, result: {changed: boolean; dryRun: boolean; reload: string; configPath: string}): {message: string; data: Record<string, unknown>} | undefined {
  if (!result.changed || result.dryRun) return undefined
  return {message: `${command}: updated ${what} (reload: ${result.reload})`, data: {configPath: result.configPath}}
}
