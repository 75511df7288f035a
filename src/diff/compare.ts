/**
 * When two columns are "the same": defaults compared by value for the column's type, and which type
 * changes are lossless widenings (SPEC section 6: Int to BigInt, Int to Float, any change to a wider text type).
 */
import { canonicalJson, isoTimestamp, sqliteAffinity } from '../schema/physical'
import type { DbColumn, Provider } from '../schema/physical-types'

/**
 * The default of a column as a comparable string. Literals are compared by value for the column's type,
 * so a database's own spelling (`'-1'::integer`, `1.50`, `{"a": 1}`) equals what toPhysical wrote.
 * Autoincrement is not a default here: the column's `autoincrement` flag carries it.
 */
export function defaultKey(column: DbColumn, provider: Provider): string {
  const d = column.default
  if (d === null || d.kind === 'autoincrement') return column.rawDefault !== undefined ? `raw:${column.rawDefault.trim()}` : 'none'
  if (d.kind !== 'value') return d.kind
  if (d.value === null) return 'none'
  return `value:${literalKey(d.value, column.type, provider)}`
}

export function sameDefault(a: DbColumn, b: DbColumn, provider: Provider): boolean {
  return defaultKey(a, provider) === defaultKey(b, provider)
}

function literalKey(value: string | number | boolean, type: string, provider: Provider): string {
  switch (typeCategory(type, provider)) {
    case 'number':
      return numberKey(value)
    case 'boolean':
      return String(value === true || value === 1 || /^(t|true|1|yes|on)$/i.test(String(value)))
    case 'timestamp':
      return isoTimestamp(String(value))
    case 'json':
      return canonicalJson(String(value))
    default:
      return String(value)
  }
}

type Category = 'number' | 'boolean' | 'timestamp' | 'json' | 'text'

function typeCategory(type: string, provider: Provider): Category {
  if (provider === 'sqlite') {
    const affinity = sqliteAffinity(type)
    return affinity === 'INTEGER' || affinity === 'REAL' || affinity === 'NUMERIC' ? 'number' : 'text'
  }
  if (/^(SMALLINT|INTEGER|BIGINT|REAL|DOUBLE PRECISION|DECIMAL)/.test(type)) return 'number'
  if (type === 'BOOLEAN') return 'boolean'
  if (/^TIMESTAMP/.test(type)) return 'timestamp'
  if (type === 'JSON' || type === 'JSONB') return 'json'
  return 'text'
}

/** A number's value as text, however it was written: `007`, `7.0`, `+7` and 7 are all `7`. */
function numberKey(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0'
  const text = String(value).trim()
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text)
  if (!match) return Number.isFinite(Number(text)) ? String(Number(text)) : text
  const [, sign, whole, fraction = ''] = match
  const int = whole.replace(/^0+(?=\d)/, '') || '0'
  const frac = fraction.replace(/0+$/, '')
  const digits = frac ? `${int}.${frac}` : int
  return sign === '-' && digits !== '0' ? `-${digits}` : digits
}

/** What `enums` holds to judge enum-to-enum changes: the values of each enum type by name. */
export type EnumValues = ReadonlyMap<string, readonly string[]>

/**
 * True when every value the `from` column can hold survives unchanged in the `to` column's type.
 * Enum values are looked up in `fromEnums` / `toEnums` (PostgreSQL) or the columns' `enumValues` (SQLite).
 */
export function isLosslessTypeChange(provider: Provider, from: DbColumn, to: DbColumn, fromEnums: EnumValues, toEnums: EnumValues): boolean {
  if (from.type === to.type) return true
  return provider === 'sqlite' ? sqliteLossless(from, to) : postgresLossless(from.type, to.type, fromEnums, toEnums)
}

function sqliteLossless(from: DbColumn, to: DbColumn): boolean {
  const a = sqliteAffinity(from.type)
  const b = sqliteAffinity(to.type)
  if (a === b) return true
  // SQLite keeps integers exactly as REAL only up to 2^53: a BigInt column may hold more.
  if (a === 'INTEGER' && (b === 'REAL' || b === 'NUMERIC')) return from.logicalType !== 'BigInt'
  // A TEXT column stores the text form of any number, which reads back as the same number.
  return b === 'TEXT' && (a === 'INTEGER' || a === 'REAL' || a === 'NUMERIC')
}

const INTEGER_DIGITS: Record<string, number> = { SMALLINT: 5, INTEGER: 10, BIGINT: 19 }
const INTEGER_RANK: Record<string, number> = { SMALLINT: 1, INTEGER: 2, BIGINT: 3 }

function postgresLossless(from: string, to: string, fromEnums: EnumValues, toEnums: EnumValues): boolean {
  const fromEnum = fromEnums.get(from)
  const toEnum = toEnums.get(to)
  if (fromEnum && toEnum) return fromEnum.every((v) => toEnum.includes(v))
  if (isUnboundedText(to)) return fromEnum !== undefined || isText(from) || from === 'UUID' || from in INTEGER_RANK
  const toLength = varcharLength(to)
  if (toLength !== undefined) {
    const fromLength = varcharLength(from) ?? charLength(from)
    return fromLength !== undefined && fromLength <= toLength
  }
  if (from in INTEGER_RANK && to in INTEGER_RANK) return INTEGER_RANK[from]! <= INTEGER_RANK[to]!
  if ((from === 'SMALLINT' || from === 'INTEGER') && to === 'DOUBLE PRECISION') return true
  if ((from === 'SMALLINT' && to === 'REAL') || (from === 'REAL' && to === 'DOUBLE PRECISION')) return true
  const toDecimal = decimalShape(to)
  if (toDecimal) {
    if (from in INTEGER_DIGITS) return toDecimal.whole === Infinity || toDecimal.whole >= INTEGER_DIGITS[from]!
    const fromDecimal = decimalShape(from)
    return fromDecimal !== undefined && toDecimal.whole >= fromDecimal.whole && toDecimal.scale >= fromDecimal.scale
  }
  const fromTime = timestampPrecision(from)
  const toTime = timestampPrecision(to)
  return fromTime !== undefined && toTime !== undefined && fromTime.zone === toTime.zone && toTime.precision >= fromTime.precision
}

function isUnboundedText(type: string): boolean {
  return type === 'TEXT' || type === 'VARCHAR' || type === 'citext'
}

function isText(type: string): boolean {
  return isUnboundedText(type) || varcharLength(type) !== undefined || charLength(type) !== undefined
}

function varcharLength(type: string): number | undefined {
  const m = /^VARCHAR\((\d+)\)$/.exec(type)
  return m ? Number(m[1]) : undefined
}

function charLength(type: string): number | undefined {
  const m = /^CHAR\((\d+)\)$/.exec(type)
  return m ? Number(m[1]) : undefined
}

/** Digits before the point and after it; an unconstrained DECIMAL holds anything. */
function decimalShape(type: string): { whole: number; scale: number } | undefined {
  if (type === 'DECIMAL') return { whole: Infinity, scale: Infinity }
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(type)
  return m ? { whole: Number(m[1]) - Number(m[2]), scale: Number(m[2]) } : undefined
}

function timestampPrecision(type: string): { zone: boolean; precision: number } | undefined {
  const m = /^(TIMESTAMPTZ|TIMESTAMP)(?:\((\d)\))?$/.exec(type)
  return m ? { zone: m[1] === 'TIMESTAMPTZ', precision: m[2] === undefined ? 6 : Number(m[2]) } : undefined
}
