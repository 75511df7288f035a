/**
 * A column changing type converts its values as PostgreSQL's cast would, so a history gives the same data
 * on both databases. SQLite converts nothing by itself: a rebuilt table's copy would keep 'abc' as text in
 * an INTEGER column (type affinity only converts what looks like a number), and an Int column becoming a
 * Boolean would keep 5. So each such column is copied through an expression, and a value PostgreSQL would
 * refuse fails the change before the copy, naming the rows, so that the whole change rolls back. Pure.
 */
import type { DbColumn } from '../../schema/physical-types'
import { id, str } from './ddl'
import { sqliteTypes } from './types'

export interface Conversion {
  /** The new value: an expression over the current column. */
  value: string
  /** True for a (non-NULL) value PostgreSQL would refuse to convert. */
  invalid?: string
  /** What the values become, for the failure message. */
  becomes: string
}

/** What a column's values must go through when it changes from `from` to `to`; undefined when they stay as they are. */
export function conversionOf(from: DbColumn, to: DbColumn): Conversion | undefined {
  const c = id(to.name)
  const source = kindOf(from)
  const target = kindOf(to)
  if (to.enumValues) {
    if (from.enumValues && from.enumValues.every((v) => to.enumValues!.includes(v))) return undefined
    return { value: c, invalid: `${c} NOT IN (${to.enumValues.map(str).join(', ')})`, becomes: `one of ${to.enumValues.map(str).join(', ')}` }
  }
  // Only a change of type converts: a column rebuilt for another reason (its nullability, say) keeps its
  // values as they are, also when it was read back from the database and its OKRA type is unknown.
  const typeChanged = from.type !== to.type || (from.logicalType !== undefined && to.logicalType !== undefined && from.logicalType !== to.logicalType)
  if (!typeChanged || source === target) return undefined
  const t = `trim(${c})`
  switch (target) {
    case 'Int':
    case 'BigInt':
      if (source === 'String' || source === 'Decimal') {
        return source === 'String'
          ? { value: `CAST(${t} AS INTEGER)`, invalid: `NOT (${integerText(t, target)})`, becomes: `an ${target} (a whole number)` }
          : { value: `CAST(round(CAST(${t} AS REAL)) AS INTEGER)`, invalid: `NOT (${numberText(t)}) OR abs(CAST(${t} AS REAL)) >= ${LIMIT[target]}`, becomes: `an ${target}` }
      }
      if (source === 'Float') return { value: roundHalfEven(c), invalid: `abs(${c}) >= ${LIMIT[target]}`, becomes: `an ${target}` }
      return undefined
    case 'Float':
      if (source === 'String' || source === 'Decimal') return { value: `CAST(${t} AS REAL)`, invalid: `NOT (${numberText(t)})`, becomes: 'a Float (a number)' }
      return undefined
    case 'Decimal':
      if (source === 'String') return { value: t, invalid: `NOT (${numberText(t)})`, becomes: 'a Decimal (a number)' }
      return undefined
    case 'Boolean':
      if (source === 'String') {
        return {
          value: `CASE WHEN lower(${t}) IN (${TRUE_WORDS}) THEN 1 ELSE 0 END`,
          invalid: `lower(${t}) NOT IN (${TRUE_WORDS}, ${FALSE_WORDS})`,
          becomes: "a Boolean ('true', 'yes', 'on', '1', 'false', 'no', 'off', '0' or a prefix of these)",
        }
      }
      if (source === 'Int') return { value: `CASE WHEN ${c} = 0 THEN 0 ELSE 1 END`, becomes: 'a Boolean' }
      return undefined
    case 'String':
      if (source === 'Boolean') return { value: `CASE WHEN ${c} = 0 THEN 'false' ELSE 'true' END`, becomes: 'a String' }
      // A whole float prints without a fraction, as PostgreSQL prints it (1, not 1.0).
      if (source === 'Float') return { value: `CASE WHEN ${c} = CAST(${c} AS INTEGER) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS INTEGER) AS TEXT) ELSE CAST(${c} AS TEXT) END`, becomes: 'a String' }
      if (source === 'Bytes') return undefined
      return { value: `CAST(${c} AS TEXT)`, becomes: 'a String' }
    case 'JSON':
      if (source === 'String') return { value: c, invalid: `NOT json_valid(${c})`, becomes: 'JSON' }
      return undefined
    case 'DateTime':
      if (source === 'String') return { value: `strftime('%Y-%m-%dT%H:%M:%fZ', ${c})`, invalid: `julianday(${c}) IS NULL`, becomes: 'a DateTime' }
      return undefined
    case 'Bytes':
      if (source === 'String') return { value: `CAST(${c} AS BLOB)`, becomes: 'Bytes' }
      return undefined
    default:
      return undefined
  }
}

const LIMIT = { Int: '2147483648', BigInt: '9223372036854775808.0' } as const
const TRUE_WORDS = ['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1'].map(str).join(', ')
const FALSE_WORDS = ['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0'].map(str).join(', ')

/** The OKRA scalar of a column: from the schema when it came from one, else read from its declared type. */
function kindOf(column: DbColumn): string | undefined {
  if (column.enumValues) return 'enum'
  return column.logicalType ?? sqliteTypes.scalarOf?.(column.type)
}

/** Digits with an optional sign (PostgreSQL's integer input, whitespace around allowed), within the type's range. */
function integerText(t: string, type: 'Int' | 'BigInt'): string {
  const unsigned = `(CASE WHEN substr(${t}, 1, 1) IN ('+', '-') THEN substr(${t}, 2) ELSE ${t} END)`
  const digits = `ltrim(${unsigned}, '0')`
  const [length, max] = type === 'Int' ? [10, '2147483647'] : [19, '9223372036854775807']
  return `${unsigned} <> '' AND ${unsigned} NOT GLOB '*[^0-9]*' AND (length(${digits}) < ${length} OR (length(${digits}) = ${length} AND ${digits} <= '${max}'))`
}

/** A number as JSON writes one, with an optional leading '+': what both databases read as a number. */
function numberText(t: string): string {
  const unsigned = `(CASE WHEN substr(${t}, 1, 1) = '+' THEN substr(${t}, 2) ELSE ${t} END)`
  // CASE, not AND: json_type() raises an error on text that is not JSON, and AND may evaluate it first.
  return `CASE WHEN ${unsigned} <> '' AND json_valid(${unsigned}) THEN json_type(${unsigned}) IN ('integer', 'real') ELSE 0 END`
}

/** PostgreSQL rounds a float to an integer half to even (2.5 -> 2, 3.5 -> 4); SQLite's round() goes half away from zero. */
function roundHalfEven(c: string): string {
  const away = `CAST(round(${c}) AS INTEGER)`
  return `(${away} - CASE WHEN abs(${c} - CAST(${c} AS INTEGER)) = 0.5 AND ${away} % 2 <> 0 THEN sign(${c}) ELSE 0 END)`
}

/**
 * Statements that stop the change when a value of `table` cannot convert, with a message naming the column,
 * how many rows, and the first five by key. A temporary trigger raises it: SQL has no other way to fail with
 * a message built from the data. They run before the copy, inside the change's transaction.
 */
export function conversionChecks(table: string, primaryKey: readonly string[], conversions: readonly { column: DbColumn; conversion: Conversion }[]): string[] {
  const checked = conversions.filter((c) => c.conversion.invalid)
  if (!checked.length) return []
  const key = primaryKey.length ? primaryKey : ['rowid']
  const scratch = id(CHECK_TABLE)
  const failures = checked.map(({ column, conversion }) => {
    const c = id(column.name)
    const bad = `FROM ${id(table)} WHERE ${c} IS NOT NULL AND (${conversion.invalid})`
    const row = `${key.map((k) => `${str(`${k} = `)} || quote(${id(k)})`).join(` || ', ' || `)} || ': ' || quote(${c})`
    const head = `${table}.${column.name}: `
    const tail = ` cannot become ${conversion.becomes}, as PostgreSQL would refuse them too. First rows: `
    return (
      `SELECT ${str(head)} || n || ' value(s)' || ${str(tail)} || sample || '. Fix or clear these values, then run again.' ` +
      `FROM (SELECT (SELECT COUNT(*) ${bad}) AS n, (SELECT group_concat(r, '; ') FROM (SELECT ${row} AS r ${bad} LIMIT 5)) AS sample) WHERE n > 0`
    )
  })
  return [
    `CREATE TEMP TABLE ${scratch} ("failure" TEXT)`,
    `CREATE TEMP TRIGGER ${id(`${CHECK_TABLE}_raise`)} BEFORE INSERT ON ${scratch} BEGIN SELECT RAISE(ABORT, NEW."failure"); END`,
    ...failures.map((select) => `INSERT INTO ${scratch} ("failure") ${select}`),
    `DROP TABLE ${scratch}`,
  ]
}

const CHECK_TABLE = '_okra_conversion'
