/**
 * The context budget of a model (runtime.md §8.6): what the request may use once room for the
 * reply is reserved, and how much recent history a compaction keeps verbatim. Pure.
 */

export interface CompactionSettings {
  /** false: no summaries; an over-budget request goes out as is and an overflow is an error. */
  enabled: boolean
  /** Tokens kept free for the reply (default 16384). */
  reserveTokens: number
  /** Tokens of recent history a compaction keeps verbatim (default 20000). */
  keepRecentTokens: number
}

export interface ContextBudget {
  contextWindow: number
  /** Tokens reserved for the reply: max(reserveTokens, maxTokens), capped at half the window. */
  reserve: number
  /** Tokens the request may use: contextWindow − reserve. */
  budget: number
  /** Tokens a compaction keeps verbatim: keepRecentTokens, at most 40% of the budget. */
  keepRecent: number
}

export function contextBudget(model: {contextWindow: number; maxTokens: number}, settings: Pick<CompactionSettings, 'reserveTokens' | 'keepRecentTokens'>): ContextBudget {
  const window = Math.max(0, Math.floor(model.contextWindow))
  const reserve = Math.min(Math.max(settings.reserveTokens, model.maxTokens), Math.floor(window / 2))
  const budget = window - reserve
  return {contextWindow: window, reserve, budget, keepRecent: Math.min(settings.keepRecentTokens, Math.floor(budget * 0.4))}
}
