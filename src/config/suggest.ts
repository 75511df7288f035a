/**
 * "Did you mean …?" for unknown config keys, commands and flags: the closest known name by
 * edit distance (a swap of two neighbours counts as one edit, the commonest typo).
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
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
 * The known name closest to `input`, or undefined when none is close enough to be a plausible typo.
 * A name whose `:`-separated last part equals the input also counts (`validate` -> `db:validate`).
 */
export function didYouMean(input: string, known: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const name of known) {
    const candidate = name.toLowerCase()
    const distance = candidate.split(':').at(-1) === wanted ? 0.5 : editDistance(wanted, candidate)
    if (distance < bestDistance) {
      best = name
      bestDistance = distance
    }
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 3))
  return bestDistance <= allowed ? best : undefined
}

/** ` (did you mean 'x'?)`, or '' when nothing is close. */
export function suggestionSuffix(input: string, known: Iterable<string>): string {
  const match = didYouMean(input, known)
  return match === undefined ? '' : ` (did you mean '${match}'?)`
}
