/**
 * Edit distance, for every "did you mean ...?" OKRA prints (schema names, config keys, commands, flags,
 * keywords): the optimal string alignment distance, where a swap of two neighbours, the commonest typo,
 * counts as one edit.
 */

/** Insertions, deletions, substitutions and adjacent swaps; `Infinity` as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return Infinity
  let before: number[] = []
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > max) return Infinity
    before = previous
    previous = current
  }
  return previous[b.length]!
}
