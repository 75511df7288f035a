/**
 * The canonical text of a Schema (what `schema.json` holds) and its hash. Equal schemas give
 * byte-identical JSON: keys sorted at every level, absent optional keys omitted, 2-space indent.
 */
import { sha256Hex } from '../hash'
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
  return sha256Hex(canonicalJSON(schema))
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

/** What is wrong with a value: the JSON path below the checked value (`.models[3].name`) and what it must be. */
interface ShapeProblem {
  at: string
  must: string
}
/** Checks one value; returns what is wrong, or null. */
type ShapeCheck = (value: unknown) => ShapeProblem | null

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const wrong = (must: string): ShapeProblem => ({ at: '', must })
/** The problem one level up: its path is built only for a problem, never for the values that pass. */
const under = (step: string, problem: ShapeProblem): ShapeProblem => ({ at: `${step}${problem.at}`, must: problem.must })

const string: ShapeCheck = (v) => (typeof v === 'string' ? null : wrong('must be a string'))
const boolean: ShapeCheck = (v) => (typeof v === 'boolean' ? null : wrong('must be true or false'))
const literal = (...allowed: unknown[]): ShapeCheck => {
  const must = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`
  return (v) => (allowed.includes(v) ? null : wrong(must))
}
const optional =
  (check: ShapeCheck): ShapeCheck =>
  (v) =>
    v === undefined ? null : check(v)
const array =
  (item: ShapeCheck): ShapeCheck =>
  (v) => {
    if (!Array.isArray(v)) return wrong('must be an array')
    for (let i = 0; i < v.length; i++) {
      const problem = item(v[i])
      if (problem) return under(`[${i}]`, problem)
    }
    return null
  }
const object = (shape: Record<string, ShapeCheck>): ShapeCheck => {
  const checks = Object.entries(shape)
  return (v) => {
    if (!isObject(v)) return wrong('must be an object')
    for (const [key, check] of checks) {
      const problem = check(v[key])
      if (problem) return under(`.${key}`, problem)
    }
    return null
  }
}
/** An object whose shape depends on its `kind`. */
const byKind = (shapes: Record<string, ShapeCheck>): ShapeCheck => {
  const kinds = wrong(`must be one of ${Object.keys(shapes).map((k) => `"${k}"`).join(', ')}`)
  return (v) => {
    if (!isObject(v)) return wrong('must be an object')
    const shape = typeof v.kind === 'string' && Object.hasOwn(shapes, v.kind) ? shapes[v.kind] : undefined
    return shape ? shape(v) : under('.kind', kinds)
  }
}

const names = array(string)
const action = literal('Cascade', 'SetNull', 'Restrict', 'NoAction', 'SetDefault')
const defaultValue: ShapeCheck = (v) =>
  v === null || ['string', 'number', 'boolean'].includes(typeof v) ? null : wrong('must be a string, number, boolean or null')
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
      columns: (v) => (Array.isArray(v) && v.length === 2 ? array(joinColumn)(v) : wrong('must be an array of two columns')),
    }),
  ),
})

/** What makes `value` not a Schema (the first problem, with its JSON path), or null. */
export function schemaShapeProblem(value: unknown): string | null {
  const problem = schemaShape(value)
  return problem && `schema${problem.at} ${problem.must}`
}
