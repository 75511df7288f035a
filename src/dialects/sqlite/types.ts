/**
 * SQLite's types as OKRA uses them: the mapping of OKRA's scalars, SQLite's type affinity (which decides
 * how a value is stored and which type changes lose nothing), and defaults in the normal form of
 * src/schema/physical-types.ts. Pure.
 */
import type { DbColumn, TypeRules, ValueCategory } from '../../schema/physical-types'
import type { ScalarType } from '../../schema/types'

const NATIVE: Record<ScalarType, string> = {
  ID: 'TEXT',
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'INTEGER',
  Float: 'REAL',
  Decimal: 'TEXT',
  // 0 or 1, without a CHECK: DbColumn has no place for one, and SQLite's own booleans are plain integers.
  Boolean: 'INTEGER',
  DateTime: 'TEXT',
  JSON: 'TEXT',
  Bytes: 'BLOB',
}

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC'

/** SQLite's type affinity of a declared type (sqlite.org/datatype3.html, section 3.1). */
export function affinityOf(type: string): Affinity {
  const t = type.toUpperCase()
  if (t.includes('INT')) return 'INTEGER'
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT'
  if (t.includes('BLOB') || t === '') return 'BLOB'
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL'
  return 'NUMERIC'
}

/** `decimal( 10, 2 )` -> `DECIMAL(10,2)`: upper case, single spaces, none around parentheses and commas. */
export function normaliseSqliteType(declared: string): string {
  return declared.trim().toUpperCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1')
}

/** The value a column of `type` stores for a literal (sqlite.org/datatype3.html, section 3.4). */
function literal(value: string | number | boolean, type: string): string | number | boolean {
  const affinity = affinityOf(type)
  if (typeof value === 'boolean') return value ? 1 : 0
  if (affinity === 'INTEGER' || affinity === 'NUMERIC') {
    const text = String(value).trim()
    if (/^[+-]?\d+$/.test(text)) {
      const big = BigInt(text)
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString()
    }
  }
  if (affinity === 'INTEGER' || affinity === 'NUMERIC' || affinity === 'REAL') {
    return Number.isFinite(Number(value)) && String(value).trim() !== '' ? Number(value) : value
  }
  return value
}

function valueCategory(type: string): ValueCategory {
  const affinity = affinityOf(type)
  return affinity === 'INTEGER' || affinity === 'REAL' || affinity === 'NUMERIC' ? 'number' : 'text'
}

/** By affinity: a column keeps its values unless the new affinity would convert them. */
function isLosslessTypeChange(from: DbColumn, to: DbColumn): boolean {
  if (from.type === to.type) return true
  const a = affinityOf(from.type)
  const b = affinityOf(to.type)
  if (a === b) return true
  // SQLite keeps integers exactly as REAL only up to 2^53: a BigInt column may hold more.
  if (a === 'INTEGER' && (b === 'REAL' || b === 'NUMERIC')) return from.logicalType !== 'BigInt'
  // A TEXT column stores the text form of any number, which reads back as the same number.
  return b === 'TEXT' && (a === 'INTEGER' || a === 'REAL' || a === 'NUMERIC')
}

/** The scalar of a declared SQLite type: by the words in it first (a DATETIME, a BOOLEAN), then by its affinity. */
function scalarOf(type: string): ScalarType | undefined {
  const t = type.toUpperCase()
  if (t === '') return 'Bytes'
  if (t.includes('BOOL')) return 'Boolean'
  if (t.includes('DATE') || t.includes('TIME')) return 'DateTime'
  if (t.includes('JSON')) return 'JSON'
  if (t.includes('DEC') || t.includes('NUMERIC') || t.includes('MONEY')) return 'Decimal'
  switch (affinityOf(t)) {
    case 'INTEGER':
      return t.includes('BIGINT') || t.includes('INT8') ? 'BigInt' : 'Int'
    case 'REAL':
      return 'Float'
    case 'BLOB':
      return 'Bytes'
    case 'TEXT':
      return 'String'
    case 'NUMERIC':
      return 'Decimal'
  }
}

export const sqliteTypes: TypeRules = {
  provider: 'sqlite',
  nativeType: (type) => NATIVE[type],
  enums: 'checked-text',
  scalarOf,
  normaliseType: normaliseSqliteType,
  literal,
  // SQLite fills a rowid alias (the single-column INTEGER primary key) itself, declared AUTOINCREMENT or not.
  isAutoincrement: ({ type, soleKey }) => soleKey && type === 'INTEGER',
  valueCategory,
  isLosslessTypeChange,
  isDatabaseNamedIndex: (name) => name.toLowerCase().startsWith('sqlite_autoindex_'),
  alterForeignKeysInPlace: false,
}
