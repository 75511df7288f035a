/**
 * The canonical text of a Schema (what `schema.json` holds) and its hash. Equal schemas give
 * byte-identical JSON: keys sorted at every level, absent optional keys omitted, 2-space indent.
 */
import { createHash } from 'node:crypto'
import { OkraError } from '../errors'
import { SCALAR_TYPES, SCHEMA_FORMAT, type Schema } from './types'

/**
 * JSON.stringify writes keys in insertion order and leaves out undefined members. The checker builds
 * every object of a Schema with its keys in sorted order, and JSON.parse keeps the order of a file
 * written here, so the text is usually written as is; an object whose keys are out of order (a Schema
 * built by hand) is copied in order first.
 */
export function canonicalJSON(schema: Schema): string {
  return JSON.stringify(inKeyOrder(schema), null, 2) + '\n'
}

export function schemaHash(schema: Schema): string {
  return createHash('sha256').update(canonicalJSON(schema)).digest('hex')
}

/**
 * `value` itself when every object in it has its keys in sorted order, else a copy in which they are
 * (undefined members dropped); arrays keep their order. Checking costs no allocation, copying does.
 */
function inKeyOrder(value: unknown): unknown {
  if (!isObjectOrArray(value)) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (!isObjectOrArray(item)) continue
      const ordered = inKeyOrder(item)
      if (ordered !== item) (copy ??= value.slice())[i] = ordered
    }
    return copy ?? value
  }
  const object = value as Record<string, unknown>
  let previous = ''
  let ordered = true
  for (const key in object) {
    const member = object[key]
    if (key < previous || (isObjectOrArray(member) && inKeyOrder(member) !== member)) {
      ordered = false
      break
    }
    previous = key
  }
  if (ordered) return value
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(object).sort()) {
    const member = object[key]
    if (member !== undefined) copy[key] = inKeyOrder(member)
  }
  return copy
}

/** An object or an array: what may hold keys out of order. */
function isObjectOrArray(value: unknown): value is object {
  return typeof value === 'object' && value !== null
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
