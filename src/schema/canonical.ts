/**
 * The canonical text of a Schema (what `schema.json` holds) and its hash. Equal schemas give
 * byte-identical JSON: keys sorted at every level, absent optional keys omitted, 2-space indent.
 */
import { createHash } from 'node:crypto'
import { OkraError } from '../errors'
import { SCALAR_TYPES, SCHEMA_FORMAT, type Schema } from './types'

export function canonicalJSON(schema: Schema): string {
  return JSON.stringify(sortKeys(schema), null, 2) + '\n'
}

export function schemaHash(schema: Schema): string {
  return createHash('sha256').update(canonicalJSON(schema)).digest('hex')
}

/** A copy with object keys sorted and `undefined` members dropped; arrays keep their order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined) out[key] = sortKeys(member)
  }
  return out
}

/**
 * Reads a `schema.json`. Refuses a format this version does not know (a newer OKRA wrote it) and
 * text that is not a schema, naming the file, so a corrupted migrations folder is found early.
 */
export function parseSchemaJSON(text: string, file: string): Schema {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new OkraError(
      `${file} is not valid JSON: ${(cause as Error).message}`,
      'Restore the file from version control; OKRA writes it, it is not meant to be edited by hand.',
    )
  }
  const format = (value as { format?: unknown } | null)?.format
  if (typeof format === 'number' && Number.isInteger(format) && format > SCHEMA_FORMAT) {
    throw new OkraError(
      `${file} was written by a newer version of OKRA (schema format ${format}; this version reads format ${SCHEMA_FORMAT})`,
      'Upgrade unplugin-okra: npm install -D unplugin-okra@latest',
    )
  }
  const problem = schemaShapeProblem(value)
  if (problem) {
    throw new OkraError(
      `${file} is not an OKRA schema: ${problem}`,
      'Restore the file from version control; OKRA writes it, it is not meant to be edited by hand.',
    )
  }
  return value as Schema
}

/** Checks one value at a JSON path; returns what is wrong, or null. */
type ShapeCheck = (value: unknown, path: string) => string | null

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

const string: ShapeCheck = (v, p) => (typeof v === 'string' ? null : `${p} must be a string`)
const boolean: ShapeCheck = (v, p) => (typeof v === 'boolean' ? null : `${p} must be true or false`)
const literal =
  (...allowed: unknown[]): ShapeCheck =>
  (v, p) =>
    allowed.includes(v) ? null : `${p} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`
const optional =
  (check: ShapeCheck): ShapeCheck =>
  (v, p) =>
    v === undefined ? null : check(v, p)
const array =
  (item: ShapeCheck): ShapeCheck =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i], `${p}[${i}]`)
      if (problem) return problem
    }
    return null
  }
const object =
  (shape: Record<string, ShapeCheck>): ShapeCheck =>
  (v, p) => {
    if (!isObject(v)) return `${p} must be an object`
    for (const [key, check] of Object.entries(shape)) {
      const problem = check(v[key], `${p}.${key}`)
      if (problem) return problem
    }
    return null
  }
/** An object whose shape depends on its `kind`. */
const byKind =
  (shapes: Record<string, ShapeCheck>): ShapeCheck =>
  (v, p) => {
    if (!isObject(v)) return `${p} must be an object`
    const shape = typeof v.kind === 'string' && Object.hasOwn(shapes, v.kind) ? shapes[v.kind] : undefined
    return shape ? shape(v, p) : `${p}.kind must be one of ${Object.keys(shapes).map((k) => `"${k}"`).join(', ')}`
  }

const names = array(string)
const action = literal('Cascade', 'SetNull', 'Restrict', 'NoAction', 'SetDefault')
const defaultValue: ShapeCheck = (v, p) =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v) ? null : `${p} must be a string, number, boolean or null`
const fieldDefault = byKind({
  uuid: object({}),
  now: object({}),
  autoincrement: object({}),
  value: object({ value: defaultValue }),
})
const fieldBase = { name: string, description: optional(string), required: boolean, renamedFrom: optional(names) }
const field = byKind({
  scalar: object({
    ...fieldBase,
    type: literal(...SCALAR_TYPES),
    column: string,
    default: optional(fieldDefault),
    updatedAt: optional(literal(true)),
    dbType: optional(string),
  }),
  enum: object({ ...fieldBase, type: string, column: string, default: optional(fieldDefault), dbType: optional(string) }),
  relation: object({
    ...fieldBase,
    type: string,
    list: boolean,
    relationName: string,
    opposite: optional(string),
    fields: optional(names),
    references: optional(names),
    onDelete: optional(action),
    onUpdate: optional(action),
  }),
})
const index = object({ name: string, fields: names })
const model = object({
  name: string,
  table: string,
  description: optional(string),
  renamedFrom: optional(names),
  fields: array(field),
  primaryKey: names,
  indexes: array(index),
  uniques: array(index),
  foreignKeys: array(
    object({
      name: string,
      relationField: string,
      fields: names,
      referencedModel: string,
      references: names,
      onDelete: action,
      onUpdate: action,
    }),
  ),
})
const joinColumn = object({ column: string, model: string, references: string, type: literal(...SCALAR_TYPES) })
const schemaShape = object({
  format: literal(SCHEMA_FORMAT),
  namespace: optional(string),
  version: optional(string),
  enums: array(
    object({
      name: string,
      dbName: string,
      description: optional(string),
      values: array(object({ name: string, description: optional(string) })),
    }),
  ),
  models: array(model),
  joinTables: array(
    object({
      relationName: string,
      table: string,
      columns: (v, p) => (Array.isArray(v) && v.length === 2 ? array(joinColumn)(v, p) : `${p} must be an array of two columns`),
    }),
  ),
})

/** What makes `value` not a Schema (the first problem, with its JSON path), or null. */
export function schemaShapeProblem(value: unknown): string | null {
  return schemaShape(value, 'schema')
}
