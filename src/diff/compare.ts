/**
 * When two columns have the same default: defaults compared by value for the column's type (which
 * values a type holds is the dialect's to say, in its TypeRules).
 */
import { canonicalJson, isoTimestamp } from '../schema/physical'
import type { DbColumn, TypeRules, ValueCategory } from '../schema/physical-types'

/**
 * The default of a column as a comparable string. Literals are compared by value for the column's type,
 * so a database's own spelling (`'-1'::integer`, `1.50`, `{"a": 1}`) equals what toPhysical wrote.
 * Autoincrement is not a default here: the column's `autoincrement` flag carries it.
 */
export function defaultKey(column: DbColumn, types: TypeRules): string {
  const d = column.default
  if (d === null || d.kind === 'autoincrement') return column.rawDefault !== undefined ? `raw:${column.rawDefault.trim()}` : 'none'
  if (d.kind !== 'value') return d.kind
  if (d.value === null) return 'none'
  return `value:${literalKey(d.value, types.valueCategory(column.type))}`
}

export function sameDefault(a: DbColumn, b: DbColumn, types: TypeRules): boolean {
  return defaultKey(a, types) === defaultKey(b, types)
}

function literalKey(value: string | number | boolean, category: ValueCategory): string {
  switch (category) {
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
