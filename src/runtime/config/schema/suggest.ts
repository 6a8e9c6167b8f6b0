/**
 * Did-you-mean for config keys: the closest candidate by edit distance (a swap of two
 * neighbouring letters counts as one edit, so `prot` → `port`), or one the typo is a prefix of.
 */

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

/**
 * The candidate closest to `word`, or undefined when none is close: at most 2 edits (and at
 * most a third of the word, so `to` never suggests `id`), ignoring case, or `word` is a prefix
 * (of at least 3 chars) of the candidate.
 */
export function closestKey(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    if (candidate === word) continue
    const distance = editDistance(lower, candidate.toLowerCase())
    const close = distance <= 2 && distance <= Math.ceil(word.length / 3)
    const prefix = lower.length >= 3 && candidate.toLowerCase().startsWith(lower)
    if (!close && !prefix) continue
    const score = close ? distance : 3
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}
