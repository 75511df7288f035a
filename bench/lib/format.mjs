/** Formatting figures for tables: fixed, readable units. */

export function ms(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a'
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`
  if (value >= 100) return `${value.toFixed(0)} ms`
  if (value >= 10) return `${value.toFixed(1)} ms`
  return `${value.toFixed(2)} ms`
}

export function us(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a'
  return value >= 100 ? `${value.toFixed(0)} µs` : `${value.toFixed(1)} µs`
}

export function mb(bytes) {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return 'n/a'
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Bytes in B, KB or MB, whichever reads best. */
export function bytes(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a'
  if (value >= 1024 * 1024) return mb(value)
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KB`
  return `${value} B`
}

export function count(n) {
  return n.toLocaleString('en-US')
}

/** `✓ < 100 ms` when the value meets the limit, `✗ > 100 ms` when not, `n/a` without a value. */
export function target(value, limit, unit = ms) {
  if (value === undefined || value === null || Number.isNaN(value)) return `n/a (< ${unit(limit)})`
  return value < limit ? `✓ < ${unit(limit)}` : `✗ > ${unit(limit)}`
}
