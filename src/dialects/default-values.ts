/**
 * Literal defaults read back from a database, in the normal form of src/schema/physical-types.ts
 * (canonical JSON, ISO timestamps, base64 bytes), shared by both introspections.
 */

/** JSON text with object keys sorted at every level and no spaces; undefined when it is not JSON. */
export function canonicalJson(text: string): string | undefined {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)))
  } catch {
    return undefined
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key])
  return sorted
}

export function hexToBase64(hex: string): string | undefined {
  return /^(?:[0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex').toString('base64') : undefined
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** `2024-01-01 10:00:00[.123][+02]` as `2024-01-01T08:00:00.000Z`; a time without zone is read as UTC. */
export function timestampToIso(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim())
  if (!match) return undefined
  const [, date, time = '00:00:00', zone = 'Z'] = match
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`
  const ms = Date.parse(`${date}T${time}${offset}`)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

/** A JS number when it is exact, else the integer's decimal digits (beyond 2^53). */
export function integerValue(text: string): number | string | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const big = BigInt(text)
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString()
}

export function finiteNumber(text: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text.trim())) return undefined
  const n = Number(text)
  return Number.isFinite(n) ? n : undefined
}
