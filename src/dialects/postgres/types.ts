/**
 * PostgreSQL's types as OKRA uses them: the mapping of OKRA's scalars, the spellings of built-in types
 * (`int4` is `INTEGER`), defaults in the normal form of src/schema/physical-types.ts, and which type
 * changes are lossless widenings. Pure.
 */
import type { DbColumn, EnumValues, TypeRules, ValueCategory } from '../../schema/physical-types'
import type { ScalarType } from '../../schema/types'

const NATIVE: Record<ScalarType, string> = {
  ID: 'UUID',
  String: 'VARCHAR',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL(65,30)',
  Boolean: 'BOOLEAN',
  DateTime: 'TIMESTAMP(3)',
  JSON: 'JSONB',
  Bytes: 'BYTEA',
}

function literal(value: string | number | boolean, type: string): string | number | boolean {
  if (/^(SMALLINT|INTEGER|REAL|DOUBLE PRECISION)$/.test(type)) return Number(value)
  if (type === 'BIGINT') return typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : String(value)
  if (/^DECIMAL/.test(type)) return String(value)
  return value
}

function valueCategory(type: string): ValueCategory {
  if (/^(SMALLINT|INTEGER|BIGINT|REAL|DOUBLE PRECISION|DECIMAL)/.test(type)) return 'number'
  if (type === 'BOOLEAN') return 'boolean'
  if (/^TIMESTAMP/.test(type)) return 'timestamp'
  if (type === 'JSON' || type === 'JSONB') return 'json'
  return 'text'
}

/** PostgreSQL spellings for its built-in types and their aliases (physical-types.ts lists the canonical ones). */
const POSTGRES_ALIASES: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INTEGER: 'INTEGER',
  INT2: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  INT8: 'BIGINT',
  BIGINT: 'BIGINT',
  FLOAT4: 'REAL',
  REAL: 'REAL',
  FLOAT8: 'DOUBLE PRECISION',
  FLOAT: 'DOUBLE PRECISION',
  'DOUBLE PRECISION': 'DOUBLE PRECISION',
  NUMERIC: 'DECIMAL',
  DECIMAL: 'DECIMAL',
  BOOL: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  TEXT: 'TEXT',
  VARCHAR: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  BPCHAR: 'CHAR',
  UUID: 'UUID',
  JSON: 'JSON',
  JSONB: 'JSONB',
  BYTEA: 'BYTEA',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  'TIMESTAMP WITHOUT TIME ZONE': 'TIMESTAMP',
  TIMESTAMPTZ: 'TIMESTAMPTZ',
  'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
  TIME: 'TIME',
  'TIME WITHOUT TIME ZONE': 'TIME',
  TIMETZ: 'TIMETZ',
  'TIME WITH TIME ZONE': 'TIMETZ',
  INTERVAL: 'INTERVAL',
}

/**
 * A native type in the spelling of physical-types.ts: `varchar( 20 )` -> `VARCHAR(20)`, `int4` ->
 * `INTEGER`, `numeric(10,2)` -> `DECIMAL(10,2)`, `timestamp(3) without time zone` -> `TIMESTAMP(3)`,
 * `float(10)` -> `REAL`, `_int4` / `int4[]` -> `INTEGER[]`; a type PostgreSQL does not build in (`citext`)
 * is folded to lower case as PostgreSQL folds an unquoted name.
 */
export function normalisePostgresType(spelled: string): string {
  // PostgreSQL keeps the space after `)` that `timestamp(3) without time zone` needs.
  const spaced = spelled
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*\)/g, ')')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*(\[\])/g, '$1')
  const upper = spaced.toUpperCase()
  if (upper.endsWith('[]')) return normalisePostgresType(spaced.slice(0, -2)) + '[]'
  if (upper.startsWith('_')) return normalisePostgresType(spaced.slice(1)) + '[]'
  // `timestamp(3) with time zone`: the precision sits inside the alias.
  const match = /^([A-Z0-9 ]+?)(?:\((\d+(?:,\d+)?)\))?( WITH(?:OUT)? TIME ZONE)?$/.exec(upper)
  if (!match) return spaced.toLowerCase()
  const [, base, args, zone = ''] = match
  const canonical = POSTGRES_ALIASES[(base + zone).trim()]
  if (!canonical) return spaced.toLowerCase()
  if (canonical === 'DOUBLE PRECISION' && base === 'FLOAT' && args !== undefined) return Number(args) <= 24 ? 'REAL' : 'DOUBLE PRECISION'
  if (canonical === 'DECIMAL' && args !== undefined) return args.includes(',') ? `DECIMAL(${args})` : `DECIMAL(${args},0)`
  if (canonical === 'CHAR') return `CHAR(${args ?? '1'})`
  if (args === undefined) return canonical
  return `${canonical}(${args})`
}

const INTEGER_DIGITS: Record<string, number> = { SMALLINT: 5, INTEGER: 10, BIGINT: 19 }
const INTEGER_RANK: Record<string, number> = { SMALLINT: 1, INTEGER: 2, BIGINT: 3 }

/** Widening only: a longer text, a larger integer, more digits, more precision, an enum with more values. */
function isLosslessTypeChange({ type: from }: DbColumn, { type: to }: DbColumn, fromEnums: EnumValues, toEnums: EnumValues): boolean {
  if (from === to) return true
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

/** The scalar of a PostgreSQL type (its agreed spelling, physical-types.ts); undefined for arrays and the like. */
function scalarOf(type: string): ScalarType | undefined {
  if (type.endsWith('[]')) return undefined
  if (type === 'UUID') return 'ID'
  if (type === 'SMALLINT' || type === 'INTEGER') return 'Int'
  if (type === 'BIGINT') return 'BigInt'
  if (type === 'REAL' || type === 'DOUBLE PRECISION') return 'Float'
  if (/^DECIMAL\b/.test(type)) return 'Decimal'
  if (type === 'BOOLEAN') return 'Boolean'
  if (/^(TIMESTAMP|TIMESTAMPTZ)(\(\d\))?$/.test(type) || type === 'DATE') return 'DateTime'
  if (type === 'JSON' || type === 'JSONB') return 'JSON'
  if (type === 'BYTEA') return 'Bytes'
  // Text, times of day, intervals and types of extensions (citext, inet): their values arrive as strings.
  return 'String'
}

export const postgresTypes: TypeRules = {
  provider: 'postgres',
  nativeType: (type) => NATIVE[type],
  enums: 'native',
  scalarOf,
  normaliseType: normalisePostgresType,
  literal,
  isAutoincrement: ({ declared }) => declared,
  valueCategory,
  isLosslessTypeChange,
  isDatabaseNamedIndex: () => false,
  alterForeignKeysInPlace: true,
}
