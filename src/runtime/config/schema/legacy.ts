// STUB: the config-schema work replaces this file.
/** Migrates legacy keys in memory (config.md §6.4, §13); returns the new tree and the legacy key paths found. */
export function migrateLegacyKeys(tree: Record<string, unknown>): {tree: Record<string, unknown>; legacyKeys: string[]} {
  return {tree, legacyKeys: []}
}
