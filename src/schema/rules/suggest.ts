/**
 * "Did you mean ...?" for a misspelt name, by edit distance (as graphql-js `suggestionList`):
 * a candidate is close enough when at most ~40% of the input's characters differ.
 */
import { editDistance } from '../../suggest'

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
