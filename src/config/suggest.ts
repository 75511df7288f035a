/**
 * "Did you mean …?" for unknown config keys, commands and flags: the closest known name by
 * edit distance (a swap of two neighbours counts as one edit, the commonest typo).
 */
import { editDistance } from '../suggest'

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
