/**
 * Schema -> the data of an ER diagram: one node per model, enum and implicit many-to-many join table,
 * one edge per relation. Pure, and serialisable as it is (the panel's state carries it to the browser).
 *
 * Mixins are already expanded in the Schema, so a model's rows are its fields as the table has them.
 * Every relation is drawn once, from the side that holds the key (`from`) to the side it references
 * (`to`); a many-to-many relation is drawn as its join table with an edge to each of its two models.
 */
import type { Default, Field, Model, ReferentialAction, Schema } from '../schema/types'

export type NodeKind = 'model' | 'enum' | 'join'

export interface DiagramData {
  /** Models (schema order, by name), then enums, then join tables. */
  nodes: DiagramNode[]
  edges: DiagramEdge[]
}

export interface DiagramNode {
  /** `model:User`, `enum:Role`, `join:courses_to_students`: unique across kinds. */
  id: string
  kind: NodeKind
  /** The model or enum name; for a join table, its relation's name. */
  name: string
  /** The table (models and join tables) or the PostgreSQL type name (enums). */
  dbName: string
  description?: string
  /** Fields (models), columns (join tables) or values (enums), in declaration order. */
  rows: DiagramRow[]
  /** Composite keys and constraints, as `fields` lists: shown in a model's details. */
  primaryKey?: string[]
  uniques?: ConstraintInfo[]
  indexes?: ConstraintInfo[]
}

export type Mark = 'pk' | 'fk' | 'unique' | 'index'

export interface DiagramRow {
  name: string
  kind: 'scalar' | 'enum' | 'relation' | 'value'
  /** As written in the schema, without `!`: `String`, `Role`, `Post` (a list: see `list`). Empty for an enum value. */
  type: string
  required: boolean
  list: boolean
  /** The column (scalar, enum and join-table rows). */
  column?: string
  /** Single-field facts: primary key (also part of a composite one), referencing column, single-field unique / index. */
  marks: Mark[]
  /** `uuid()`, `now()`, `autoincrement()` or the literal as the schema writes it. */
  default?: string
  updatedAt?: boolean
  dbType?: string
  description?: string
}

export interface ConstraintInfo {
  name: string
  fields: string[]
}

export type Cardinality = '1-1' | '1-n' | 'n-m'

export interface EdgeEnd {
  /** Node id. */
  node: string
  /** The relation field on this side, when the model has one. */
  field?: string
  /** The rows (field or column names) the key is made of on this side. */
  rows: string[]
}

export interface DiagramEdge {
  /** Unique: the relation name, plus the join side for a many-to-many relation. */
  id: string
  relationName: string
  /**
   * Read from `to` to `from`: `1-n` is one `to` row for many `from` rows (the usual foreign key); `1-1` a
   * unique foreign key; `n-m` an edge from a join table to one of its two models.
   */
  cardinality: Cardinality
  /** The side holding the key (a model, or a join table). */
  from: EdgeEnd
  /** The referenced side. */
  to: EdgeEnd
  /** Whether every `from` row must have a `to` row (the key is required). */
  required: boolean
  onDelete: ReferentialAction
  onUpdate: ReferentialAction
}

export function buildDiagram(schema: Schema): DiagramData {
  const nodes: DiagramNode[] = []
  const edges: DiagramEdge[] = []
  for (const model of schema.models) {
    nodes.push(modelNode(model))
    edges.push(...foreignKeyEdges(model))
  }
  for (const e of schema.enums) {
    nodes.push({
      id: enumId(e.name),
      kind: 'enum',
      name: e.name,
      dbName: e.dbName,
      ...(e.description ? { description: e.description } : {}),
      rows: e.values.map((v) => ({
        name: v.name,
        kind: 'value',
        type: '',
        required: true,
        list: false,
        marks: [],
        ...(v.description ? { description: v.description } : {}),
      })),
    })
  }
  const listSides = manyToManySides(schema.models)
  for (const join of schema.joinTables) {
    const id = joinId(join.table)
    nodes.push({
      id,
      kind: 'join',
      name: join.relationName,
      dbName: join.table,
      rows: join.columns.map((c) => ({ name: c.column, kind: 'scalar', type: c.type, required: true, list: false, column: c.column, marks: ['pk', 'fk'] })),
      primaryKey: join.columns.map((c) => c.column),
    })
    const sides = listSides.get(join.relationName) ?? []
    join.columns.forEach((column, i) => {
      // A self-relation has both sides in one model: the columns pair with the sides in declaration order.
      const side = sides.filter((s) => s.model === column.model)[column.model === join.columns[1 - i]!.model ? i : 0]
      edges.push({
        id: `${join.relationName}:${column.column}`,
        relationName: join.relationName,
        cardinality: 'n-m',
        from: { node: id, rows: [column.column] },
        to: { node: modelId(column.model), ...(side ? { field: side.field } : {}), rows: [column.references] },
        required: true,
        onDelete: 'Cascade',
        onUpdate: 'Cascade',
      })
    })
  }
  return { nodes, edges }
}

export const modelId = (name: string) => `model:${name}`
export const enumId = (name: string) => `enum:${name}`
export const joinId = (table: string) => `join:${table}`

function modelNode(model: Model): DiagramNode {
  const single = (list: { fields: string[] }[]) => new Set(list.filter((c) => c.fields.length === 1).map((c) => c.fields[0]!))
  const unique = single(model.uniques)
  const indexed = single(model.indexes)
  const referencing = new Set(model.foreignKeys.flatMap((fk) => fk.fields))
  const primary = new Set(model.primaryKey)
  return {
    id: modelId(model.name),
    kind: 'model',
    name: model.name,
    dbName: model.table,
    ...(model.description ? { description: model.description } : {}),
    rows: model.fields.map((field) => {
      const marks: Mark[] = []
      if (primary.has(field.name)) marks.push('pk')
      if (referencing.has(field.name)) marks.push('fk')
      if (unique.has(field.name)) marks.push('unique')
      if (indexed.has(field.name)) marks.push('index')
      return fieldRow(field, marks)
    }),
    primaryKey: model.primaryKey,
    uniques: model.uniques.map(({ name, fields }) => ({ name, fields })),
    indexes: model.indexes.map(({ name, fields }) => ({ name, fields })),
  }
}

function fieldRow(field: Field, marks: Mark[]): DiagramRow {
  const row: DiagramRow = {
    name: field.name,
    kind: field.kind,
    type: field.type,
    required: field.required,
    list: field.kind === 'relation' && field.list,
    marks,
  }
  if (field.kind !== 'relation') {
    row.column = field.column
    if (field.default) row.default = showDefault(field.default, field.kind === 'enum' || field.type === 'BigInt' || field.type === 'Decimal')
    if (field.dbType) row.dbType = field.dbType
  }
  if (field.kind === 'scalar' && field.updatedAt) row.updatedAt = true
  if (field.description) row.description = field.description
  return row
}

/** As the schema writes it: `uuid()`, `0`, `"draft"`; enum values and big numbers (kept as strings) bare. */
function showDefault(value: Default, bare: boolean): string {
  if (value.kind !== 'value') return `${value.kind}()`
  return typeof value.value === 'string' && !bare ? JSON.stringify(value.value) : String(value.value)
}

/** One edge per foreign key, from the model holding it to the model it references. */
function foreignKeyEdges(model: Model): DiagramEdge[] {
  const uniqueSets = [model.primaryKey, ...model.uniques.map((u) => u.fields)].map((fields) => [...fields].sort().join('\0'))
  return model.foreignKeys.map((fk) => {
    const field = model.fields.find((f) => f.name === fk.relationField)
    const opposite = field?.kind === 'relation' ? field.opposite : undefined
    // A key whose columns are unique allows one row per referenced row: a one-to-one relation.
    const oneToOne = uniqueSets.includes([...fk.fields].sort().join('\0'))
    const required = fk.fields.every((name) => model.fields.find((f) => f.name === name)?.required)
    return {
      id: `${model.name}.${fk.relationField}`,
      relationName: field?.kind === 'relation' ? field.relationName : fk.name,
      cardinality: oneToOne ? '1-1' : '1-n',
      from: { node: modelId(model.name), field: fk.relationField, rows: fk.fields },
      to: { node: modelId(fk.referencedModel), ...(opposite ? { field: opposite } : {}), rows: fk.references },
      required,
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate,
    }
  })
}

/** The list sides of each many-to-many relation (relation fields that are lists and hold no key), by relation name, in declaration order. */
function manyToManySides(models: Model[]): Map<string, { model: string; field: string }[]> {
  const byName = new Map(models.map((m) => [m.name, m]))
  const sides = new Map<string, { model: string; field: string }[]>()
  for (const model of models) {
    for (const field of model.fields) {
      if (field.kind !== 'relation' || !field.list || field.fields) continue
      const opposite = field.opposite && byName.get(field.type)?.fields.find((f) => f.name === field.opposite)
      if (!opposite || opposite.kind !== 'relation' || !opposite.list) continue
      const list = sides.get(field.relationName) ?? []
      list.push({ model: model.name, field: field.name })
      sides.set(field.relationName, list)
    }
  }
  return sides
}
