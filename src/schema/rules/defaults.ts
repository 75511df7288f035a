/**
 * `@default(...)`: the value must suit the field's type. Every default becomes a database default,
 * so what is stored here is exactly what the SQL renderers write (see `Default` in types.ts).
 */
import type { ValueNode } from '../../language/ast'
import type { Default, ScalarType } from '../types'
import type { CheckContext } from './context'
import { closest } from './suggest'

/** The field a default is checked against. */
export interface DefaultTarget {
  readonly name: string
  readonly kind: 'scalar' | 'enum'
  /** A scalar type, or the enum's name. */
  readonly type: string
  readonly required: boolean
  /** The values of the enum, for an enum field. */
  readonly enumValues?: ReadonlySet<string>
}

/** The function defaults; each `value` is shared by every field using it (never mutated). */
const FUNCTIONS: Record<'uuid' | 'now' | 'autoincrement', { types: readonly ScalarType[]; text: string; value: Default }> = {
  uuid: { types: ['ID', 'String'], text: 'ID and String', value: Object.freeze({ kind: 'uuid' }) },
  now: { types: ['DateTime'], text: 'DateTime', value: Object.freeze({ kind: 'now' }) },
  autoincrement: { types: ['Int', 'BigInt'], text: 'Int and BigInt', value: Object.freeze({ kind: 'autoincrement' }) },
}

const EXPECTED: Record<ScalarType, { what: string; example: string }> = {
  ID: { what: 'a string', example: '@default(uuid)' },
  String: { what: 'a string', example: '@default("text")' },
  Int: { what: 'an integer', example: '@default(0)' },
  BigInt: { what: 'an integer', example: '@default(0)' },
  Float: { what: 'a number', example: '@default(0.5)' },
  Decimal: { what: 'a decimal number', example: '@default(9.99)' },
  Boolean: { what: 'true or false', example: '@default(false)' },
  DateTime: { what: 'an ISO-8601 date-time string', example: '@default(now) or @default("2024-01-01T00:00:00Z")' },
  JSON: { what: 'JSON text in a string', example: '@default("{}")' },
  Bytes: { what: 'a base64 string', example: '@default("aGVsbG8=")' },
}

const INT_RANGE = { min: -(2n ** 31n), max: 2n ** 31n - 1n }
const BIGINT_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const INTEGER = /^-?\d+$/
const DECIMAL = /^-?\d+(\.\d+)?$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The checked default, or undefined after reporting why the value does not fit. */
export function checkDefault(ctx: CheckContext, field: DefaultTarget, value: ValueNode): Default | undefined {
  if (value.kind === 'Null') {
    if (!field.required) return { kind: 'value', value: null }
    ctx.error(value.loc, `@default(null) cannot be used on required field '${field.name}'`, `Make the field optional (${field.name}: ${field.type}?) or give another default.`)
    return undefined
  }
  if (field.kind === 'enum') return enumDefault(ctx, field, value)
  const type = field.type as ScalarType
  if (value.kind === 'Identifier') return functionDefault(ctx, field, type, value)
  return literalDefault(ctx, field, type, value)
}

function enumDefault(ctx: CheckContext, field: DefaultTarget, value: ValueNode): Default | undefined {
  const values = field.enumValues ?? new Set<string>()
  if (value.kind === 'Identifier' && values.has(value.value)) return { kind: 'value', value: value.value }
  const suggestion = value.kind === 'Identifier' || value.kind === 'String' ? closest(value.value, values) : undefined
  const hint = suggestion ? `Did you mean '${suggestion}'?` : `Use one of ${[...values].join(', ')}.`
  if (value.kind === 'Identifier') {
    ctx.error(value.loc, `'${value.value}' is not a value of enum '${field.type}'`, hint)
  } else if (value.kind === 'String' && values.has(value.value)) {
    ctx.error(value.loc, `Default of enum field '${field.name}' must be written without quotes`, `Write @default(${value.value}).`)
  } else {
    ctx.error(value.loc, `Invalid default for enum field '${field.name}': expected a value of enum '${field.type}', got ${describe(value)}`, hint)
  }
  return undefined
}

function functionDefault(ctx: CheckContext, field: DefaultTarget, type: ScalarType, value: ValueNode & { kind: 'Identifier' }): Default | undefined {
  const name = value.value
  if (name === 'uuid' || name === 'now' || name === 'autoincrement') {
    const fn = FUNCTIONS[name]
    if (fn.types.includes(type)) return fn.value
    ctx.error(value.loc, `@default(${name}) cannot be used on field '${field.name}' of type ${type}`, `${name} is a default for ${fn.text} fields.`)
    return undefined
  }
  const suggestion = closest(name, Object.keys(FUNCTIONS).filter((f) => FUNCTIONS[f as keyof typeof FUNCTIONS].types.includes(type)))
  ctx.error(
    value.loc,
    `Unknown default '${name}' for field '${field.name}' of type ${type}`,
    suggestion ? `Did you mean '${suggestion}'?` : `Expected ${EXPECTED[type].what}, e.g. ${EXPECTED[type].example}.`,
  )
  return undefined
}

function literalDefault(ctx: CheckContext, field: DefaultTarget, type: ScalarType, value: ValueNode): Default | undefined {
  const mismatch = (detail = `got ${describe(value)}`) => {
    ctx.error(value.loc, `Invalid default for ${type} field '${field.name}': expected ${EXPECTED[type].what}, ${detail}`, `Write e.g. ${EXPECTED[type].example}.`)
    return undefined
  }
  switch (type) {
    case 'Int':
    case 'BigInt': {
      if (value.kind !== 'Number' && !(type === 'BigInt' && value.kind === 'String')) return mismatch()
      if (!INTEGER.test(value.value)) return mismatch(`got ${value.value}`)
      const range = type === 'Int' ? INT_RANGE : BIGINT_RANGE
      const n = BigInt(value.value)
      if (n < range.min || n > range.max) {
        ctx.error(value.loc, `Default ${value.value} is out of range for ${type} field '${field.name}' (${range.min} to ${range.max})`, type === 'Int' ? 'Use BigInt for larger numbers.' : 'Use Decimal for larger numbers.')
        return undefined
      }
      return { kind: 'value', value: type === 'Int' ? Number(n) : n.toString() }
    }
    case 'Float': {
      if (value.kind !== 'Number') return mismatch()
      const n = Number(value.value)
      if (!Number.isFinite(n)) return mismatch(`got ${value.value}, which is out of range`)
      return { kind: 'value', value: n }
    }
    case 'Decimal': {
      if (value.kind !== 'Number' && value.kind !== 'String') return mismatch()
      if (!DECIMAL.test(value.value)) return mismatch(`got ${value.kind === 'String' ? JSON.stringify(value.value) : value.value}; write its digits, e.g. 1000.50`)
      return { kind: 'value', value: value.value }
    }
    case 'Boolean':
      return value.kind === 'Boolean' ? { kind: 'value', value: value.value } : mismatch()
    case 'ID':
    case 'String':
      return value.kind === 'String' ? { kind: 'value', value: value.value } : mismatch()
    case 'DateTime':
      if (value.kind !== 'String') return mismatch()
      if (!ISO_DATE_TIME.test(value.value) || Number.isNaN(Date.parse(value.value))) return mismatch(`got ${JSON.stringify(value.value)}`)
      return { kind: 'value', value: value.value }
    case 'JSON':
      if (value.kind !== 'String') return mismatch()
      try {
        JSON.parse(value.value)
      } catch {
        return mismatch(`got ${JSON.stringify(value.value)}, which is not valid JSON`)
      }
      return { kind: 'value', value: value.value }
    case 'Bytes':
      if (value.kind !== 'String') return mismatch()
      if (!BASE64.test(value.value)) return mismatch(`got ${JSON.stringify(value.value)}`)
      return { kind: 'value', value: value.value }
  }
}

function describe(value: ValueNode): string {
  switch (value.kind) {
    case 'String':
      return 'a string'
    case 'Number':
      return `the number ${value.value}`
    case 'Boolean':
      return `${value.value}`
    case 'Null':
      return 'null'
    case 'Identifier':
      return `'${value.value}'`
    case 'List':
      return 'a list'
  }
}
