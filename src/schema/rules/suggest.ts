/**
 * "Did you mean ...?" for a misspelt name, by edit distance (as graphql-js `suggestionList`):
 * a candidate is close enough when at most ~40% of the input's characters differ.
 */

export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const best = closest(input, candidates)
  return best === undefined ? undefined : `Did you mean '${best}'?`
}

export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const threshold = Math.floor(input.length * 0.4) + 1
  const lower = input.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    if (candidate === input) continue
    // A difference in case only is the closest possible match.
    const distance = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase(), threshold)
    if (distance <= threshold && (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best))) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Optimal string alignment distance (a transposition counts as one edit); stops early above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity
  let before: number[] = []
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > max) return Infinity
    before = previous
    previous = current
  }
  return previous[b.length]
}
