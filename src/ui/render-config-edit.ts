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
