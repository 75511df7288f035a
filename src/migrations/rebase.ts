/**
 * The pure core of `migrate:rebase`: a forked history made linear. The migrations of the branch that
 * moves are replayed, one by one, on top of the head of the branch that stays. Each moved migration keeps
 * only its own change (its schema against the one before it on its branch), applied three-way onto the
 * other head at the level of enums, models (their own attributes), fields, indexes, uniques, foreign keys
 * and join tables. Renames are carried and re-expressed in the names the other head uses.
 *
 * Identity is physical, as in the database: a model is its table, a stored field its column (a relation
 * field, which has no column, its name), an enum its name; a rename decision (renames.json) says that a
 * table or column under a new name is the old one.
 *
 * Both branches touching one thing (the same field, the same model's own attributes, the same enum) with
 * different results is a conflict: nothing is merged, each conflict is named. Identical changes on both
 * sides (the same field added twice) are not a conflict.
 */
import type { SyncedRename } from '../project/renames'
import { composeRenames } from '../project/renames'
import type { Enum, Field, ForeignKey, Index, JoinTable, Model, Schema } from '../schema/types'
import { SCHEMA_FORMAT } from '../schema/types'

export interface RebaseStep {
  /** The folder name (for conflict messages). */
  id: string
  /** Its schema.json. */
  schema: Schema
  /** Its renames.json (physical names; a column's table in this migration's names). */
  renames: SyncedRename[]
}

export interface RebaseInput {
  /** The schema both branches started from (null: the empty database). */
  ancestor: Schema | null
  /** The schema at the head of the branch that stays. */
  head: Schema | null
  /** The renames of the staying branch's migrations since the ancestor, in order. */
  headRenames: SyncedRename[]
  /** The migrations that move, oldest first. */
  moved: RebaseStep[]
}

export interface RebaseConflict {
  /** What both branches changed: `field Product.price`, `model Product`, `enum Role`, `index products_sku_idx`. */
  subject: string
  /** The moved migration that changed it. */
  migration: string
  /** What each side did, short: `changed on both branches`, `removed on the other branch, changed here`. */
  detail: string
}

export interface RebaseResult {
  /** One per moved migration, in order: its new schema and its renames in the new names. */
  steps: RebaseStep[]
  conflicts: RebaseConflict[]
}

type Kind = 'enum' | 'model' | 'field' | 'index' | 'unique' | 'fk' | 'join'

/** A table-scoped thing's key in the names of one schema. */
const key = (kind: Kind, table: string, name = '') => `${kind}\0${table}\0${name}`

/** What changed between two schema states, by key in the names of the `from` state. */
interface Delta {
  enums: Change<Enum>[]
  models: ModelDelta[]
  joins: Change<JoinTable>[]
}

type Change<T> = { kind: 'added'; to: T } | { kind: 'removed'; from: T } | { kind: 'changed'; from: T; to: T }

interface ModelDelta {
  change: Change<Model>
  /** For a `changed` model: whether its own attributes (name, table, primary key, ...) changed. */
  attributes: boolean
  fields: Change<Field>[]
  indexes: Change<Index>[]
  uniques: Change<Index>[]
  foreignKeys: Change<ForeignKey>[]
}

export function rebaseMigrations(input: RebaseInput): RebaseResult {
  const ancestor = input.ancestor ?? emptySchema()
  const head = input.head ?? emptySchema()
  // What the staying branch touched, in the head's names, with the result it reached.
  const touched = touchedKeys(delta(ancestor, head, input.headRenames))
  const conflicts: RebaseConflict[] = []
  const steps: RebaseStep[] = []
  let previous = ancestor
  let base = head
  // The moved branch's names of tables and columns -> their names in `base`.
  let names = namesFromAncestor(ancestor, input.headRenames)
  for (const step of input.moved) {
    const d = delta(previous, step.schema, step.renames)
    const applied = applyDelta(base, d, names, touched, step, conflicts)
    steps.push({ id: step.id, schema: applied.schema, renames: applied.renames })
    previous = step.schema
    base = applied.schema
    names = applied.names
  }
  conflicts.push(...danglingReferences(base, input.moved.at(-1)?.id))
  return { steps, conflicts }
}

export function emptySchema(): Schema {
  return { format: SCHEMA_FORMAT, enums: [], models: [], joinTables: [] }
}

// ---------------------------------------------------------------------------------------------------
// Deltas

/** Field identity in its table: the column, or the relation field's name. */
const fieldId = (field: Field) => (field.kind === 'relation' ? `rel:${field.name}` : field.column)

function delta(from: Schema, to: Schema, renames: readonly SyncedRename[]): Delta {
  const { tables, columns } = composeRenames(renames)
  const toTable = new Map(to.models.map((m) => [m.table, m]))
  const models: ModelDelta[] = []
  const matched = new Set<string>()
  for (const old of from.models) {
    const now = toTable.get(tables.get(old.table) ?? old.table)
    if (!now) {
      models.push({ change: { kind: 'removed', from: old }, attributes: false, fields: [], indexes: [], uniques: [], foreignKeys: [] })
      continue
    }
    matched.add(now.table)
    const renamedColumn = (field: Field) => (field.kind === 'relation' ? fieldId(field) : (columns.get(`${now.table}\0${field.column}`) ?? field.column))
    models.push({
      change: { kind: 'changed', from: old, to: now },
      attributes: !same(modelAttributes(old), modelAttributes(now)),
      fields: listDelta(old.fields, now.fields, fieldId, renamedColumn),
      indexes: listDelta(old.indexes, now.indexes, byName, byName),
      uniques: listDelta(old.uniques, now.uniques, byName, byName),
      foreignKeys: listDelta(old.foreignKeys, now.foreignKeys, byName, byName),
    })
  }
  for (const model of to.models) {
    if (!matched.has(model.table)) models.push({ change: { kind: 'added', to: model }, attributes: false, fields: [], indexes: [], uniques: [], foreignKeys: [] })
  }
  return {
    enums: listDelta(from.enums, to.enums, byName, byName),
    models,
    joins: listDelta(from.joinTables, to.joinTables, (j) => j.table, (j) => j.table),
  }
}

const byName = (item: { name: string }) => item.name

/** Changes between two lists; `idBefore` maps an old item to the id it has in `after` (a rename). */
function listDelta<T>(before: readonly T[], after: readonly T[], idAfter: (item: T) => string, idBefore: (item: T) => string): Change<T>[] {
  const afterById = new Map(after.map((item) => [idAfter(item), item]))
  const out: Change<T>[] = []
  const seen = new Set<string>()
  for (const old of before) {
    const id = idBefore(old)
    const now = afterById.get(id)
    if (now === undefined) out.push({ kind: 'removed', from: old })
    else {
      seen.add(id)
      if (!same(old, now)) out.push({ kind: 'changed', from: old, to: now })
    }
  }
  for (const item of after) if (!seen.has(idAfter(item))) out.push({ kind: 'added', to: item })
  return out
}

/** A model's own attributes: everything but its fields and keys, which are merged one by one. */
function modelAttributes(model: Model): unknown {
  const { fields: _f, indexes: _i, uniques: _u, foreignKeys: _k, renamedFrom: _r, ...rest } = model
  return rest
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Every key the staying branch changed (in the head's names), with the value it reached (undefined: removed). */
function touchedKeys(d: Delta): Map<string, unknown> {
  const out = new Map<string, unknown>()
  const result = <T>(c: Change<T>) => (c.kind === 'removed' ? undefined : c.to)
  for (const c of d.enums) out.set(key('enum', '', (c.kind === 'removed' ? c.from : c.to).name), result(c))
  for (const c of d.joins) out.set(key('join', (c.kind === 'removed' ? c.from : c.to).table), result(c))
  for (const m of d.models) {
    if (m.change.kind === 'added') {
      markModel(out, m.change.to, m.change.to)
      continue
    }
    if (m.change.kind === 'removed') {
      markModel(out, m.change.from, undefined)
      continue
    }
    const table = m.change.to.table
    if (m.attributes) out.set(key('model', table), modelAttributes(m.change.to))
    for (const c of m.fields) out.set(key('field', table, fieldId(c.kind === 'removed' ? c.from : c.to)), result(c))
    for (const [kind, list] of [['index', m.indexes], ['unique', m.uniques], ['fk', m.foreignKeys]] as const) {
      for (const c of list) out.set(key(kind, table, (c.kind === 'removed' ? c.from : c.to).name), result(c))
    }
  }
  return out
}

/** A model added or removed touches the model and everything in it. */
function markModel(out: Map<string, unknown>, model: Model, now: Model | undefined): void {
  out.set(key('model', model.table), now && modelAttributes(now))
  for (const f of model.fields) out.set(key('field', model.table, fieldId(f)), now && f)
  for (const i of model.indexes) out.set(key('index', model.table, i.name), now && i)
  for (const u of model.uniques) out.set(key('unique', model.table, u.name), now && u)
  for (const k of model.foreignKeys) out.set(key('fk', model.table, k.name), now && k)
}

// ---------------------------------------------------------------------------------------------------
// Names: the moved branch's names of tables and columns in the base it is applied to

interface Names {
  /** moved-side table -> base table. */
  tables: Map<string, string>
  /** `<moved-side table>\0<moved-side column>` -> base column. */
  columns: Map<string, string>
}

function namesFromAncestor(ancestor: Schema, headRenames: readonly SyncedRename[]): Names {
  const { tables, columns } = composeRenames(headRenames)
  const out: Names = { tables: new Map(), columns: new Map() }
  for (const model of ancestor.models) {
    const table = tables.get(model.table) ?? model.table
    out.tables.set(model.table, table)
    for (const field of model.fields) {
      if (field.kind === 'relation') continue
      out.columns.set(`${model.table}\0${field.column}`, columns.get(`${table}\0${field.column}`) ?? field.column)
    }
  }
  return out
}

const baseTable = (names: Names, table: string) => names.tables.get(table) ?? table
const baseColumn = (names: Names, table: string, id: string) => (id.startsWith('rel:') ? id : (names.columns.get(`${table}\0${id}`) ?? id))

// ---------------------------------------------------------------------------------------------------
// Applying one migration's delta onto the base

interface Applied {
  schema: Schema
  renames: SyncedRename[]
  names: Names
}

function applyDelta(base: Schema, d: Delta, names: Names, touched: Map<string, unknown>, step: RebaseStep, conflicts: RebaseConflict[]): Applied {
  const conflict = (subject: string, k: string, value: unknown, verb: string) => {
    if (!touched.has(k)) return false
    const theirs = touched.get(k)
    if (same(theirs, value)) return false
    const other = theirs === undefined ? 'removed on the other branch' : 'changed on the other branch'
    conflicts.push({ subject, migration: step.id, detail: `${other}, ${verb} by ${step.id}` })
    return true
  }
  const verb = <T>(c: Change<T>) => c.kind
  const valueOf = <T>(c: Change<T>) => (c.kind === 'removed' ? undefined : c.to)

  const enums = new Map(base.enums.map((e) => [e.name, e]))
  for (const c of d.enums) {
    const name = (c.kind === 'removed' ? c.from : c.to).name
    if (conflict(`enum ${name}`, key('enum', '', name), valueOf(c), verb(c))) continue
    if (c.kind === 'removed') enums.delete(name)
    else enums.set(name, c.to)
  }
  const joins = new Map(base.joinTables.map((j) => [j.table, j]))
  for (const c of d.joins) {
    const table = (c.kind === 'removed' ? c.from : c.to).table
    if (conflict(`join table ${table}`, key('join', table), valueOf(c), verb(c))) continue
    if (c.kind === 'removed') joins.delete(table)
    else joins.set(table, c.to)
  }

  const models = new Map(base.models.map((m) => [m.table, m]))
  const renames: SyncedRename[] = []
  const next: Names = { tables: new Map(), columns: new Map() }
  for (const m of d.models) {
    if (m.change.kind === 'added') {
      const model = m.change.to
      const clash = models.get(model.table)
      if (clash && !same(clash, model)) {
        conflicts.push({ subject: `model ${model.name}`, migration: step.id, detail: `added on both branches (table ${model.table}), differently` })
        continue
      }
      models.set(model.table, model)
      next.tables.set(model.table, model.table)
      for (const f of model.fields) if (f.kind !== 'relation') next.columns.set(`${model.table}\0${f.column}`, f.column)
      continue
    }
    const from = m.change.from
    const table = baseTable(names, from.table)
    const current = models.get(table)
    if (m.change.kind === 'removed') {
      if (!current) continue // removed on both branches
      if (modelTouched(touched, table, current)) {
        conflicts.push({ subject: `model ${from.name}`, migration: step.id, detail: `changed on the other branch, removed by ${step.id}` })
        continue
      }
      models.delete(table)
      continue
    }
    const to = m.change.to
    const untouched = !m.attributes && m.fields.length + m.indexes.length + m.uniques.length + m.foreignKeys.length === 0
    if (untouched) {
      next.tables.set(to.table, table)
      for (const f of to.fields) if (f.kind !== 'relation') next.columns.set(`${to.table}\0${f.column}`, baseColumn(names, from.table, f.column))
      continue
    }
    if (!current) {
      conflicts.push({ subject: `model ${from.name}`, migration: step.id, detail: `removed on the other branch, changed by ${step.id}` })
      continue
    }
    let merged: Model = { ...current }
    if (m.attributes && !conflict(`model ${to.name}`, key('model', table), modelAttributes(to), 'changed')) {
      merged = { ...merged, ...(modelAttributes(to) as object), renamedFrom: to.renamedFrom }
      if (to.renamedFrom === undefined) delete merged.renamedFrom
    }
    const newTable = merged.table
    if (newTable !== table) {
      renames.push({ kind: 'table', from: table, to: newTable })
      models.delete(table)
    }
    // Fields: found in the base by their base names, then the moved side's changes applied in place.
    const fieldKey = (f: Field) => baseColumn(names, from.table, fieldId(f))
    merged.fields = mergeList(
      current.fields,
      m.fields,
      fieldId,
      fieldKey,
      (c, id) => conflict(`field ${to.name}.${(c.kind === 'removed' ? c.from : c.to).name}`, key('field', table, id), valueOf(c), verb(c)),
      to.fields,
    )
    const renamedColumns = new Set<Field>()
    for (const c of m.fields) {
      if (c.kind !== 'changed' || c.from.kind === 'relation' || c.to.kind === 'relation') continue
      const was = fieldKey(c.from)
      if (c.from.column !== c.to.column && merged.fields.includes(c.to)) {
        renames.push({ kind: 'column', table: newTable, from: was, to: c.to.column })
        renamedColumns.add(c.to)
      }
    }
    merged.indexes = sortByName(mergeList(current.indexes, m.indexes, byName, byName, (c, id) => conflict(`index ${id}`, key('index', table, id), valueOf(c), verb(c))))
    merged.uniques = sortByName(mergeList(current.uniques, m.uniques, byName, byName, (c, id) => conflict(`unique ${id}`, key('unique', table, id), valueOf(c), verb(c))))
    merged.foreignKeys = sortByName(mergeList(current.foreignKeys, m.foreignKeys, byName, byName, (c, id) => conflict(`foreign key ${id}`, key('fk', table, id), valueOf(c), verb(c))))
    models.set(newTable, merged)
    // What the next moved migration calls this table and its columns, in the new base's names.
    next.tables.set(to.table, newTable)
    for (const f of to.fields) {
      if (f.kind === 'relation') continue
      const own = renamedColumns.has(f) || m.fields.some((c) => c.kind === 'added' && c.to === f)
      next.columns.set(`${to.table}\0${f.column}`, own ? f.column : baseColumn(names, from.table, f.column))
    }
  }
  if (renames.length) moveTouched(touched, renames)

  const schema: Schema = {
    ...base,
    enums: [...enums.values()].sort(byNameOrder),
    models: [...models.values()].sort(byNameOrder),
    joinTables: [...joins.values()].sort((a, b) => order(a.table, b.table)),
  }
  return { schema, renames, names: next }
}

/** Whether the staying branch changed anything in the table (a removal here would lose it). */
function modelTouched(touched: Map<string, unknown>, table: string, current: Model): boolean {
  if (touched.has(key('model', table))) return true
  return current.fields.some((f) => touched.has(key('field', table, fieldId(f))))
}

/**
 * `base` with `changes` applied: an item is found in `base` by `baseId` of the moved side's old item;
 * an added item goes after the item it follows in `order` (the moved side's list), else at the end.
 * A change `clash` reports (a conflict) is left out.
 */
function mergeList<T>(
  base: readonly T[],
  changes: readonly Change<T>[],
  id: (item: T) => string,
  baseId: (item: T) => string,
  clash: (change: Change<T>, id: string) => boolean,
  order?: readonly T[],
): T[] {
  const out = [...base]
  for (const c of changes) {
    if (c.kind === 'added') {
      const at = id(c.to)
      if (clash(c, at)) continue
      const existing = out.findIndex((item) => id(item) === at)
      if (existing >= 0) {
        out[existing] = c.to
        continue
      }
      const position = order ? order.indexOf(c.to) : -1
      const before = position > 0 ? order![position - 1]! : undefined
      const after = before === undefined ? -1 : out.findIndex((item) => item === before || id(item) === id(before))
      if (after >= 0) out.splice(after + 1, 0, c.to)
      else out.push(c.to)
      continue
    }
    const at = baseId(c.from)
    if (clash(c, at)) continue
    const index = out.findIndex((item) => id(item) === at)
    if (c.kind === 'removed') {
      if (index >= 0) out.splice(index, 1)
    } else if (index >= 0) out[index] = c.to
    else out.push(c.to)
  }
  return out
}

/** After a moved migration renames a table or column, the staying branch's touches follow the new name. */
function moveTouched(touched: Map<string, unknown>, renames: readonly SyncedRename[]): void {
  for (const r of renames) {
    for (const [k, value] of [...touched]) {
      const [kind, table, name] = k.split('\0') as [Kind, string, string]
      if (r.kind === 'table' && table === r.from) {
        touched.delete(k)
        touched.set(key(kind, r.to, name), value)
      } else if (r.kind === 'column' && kind === 'field' && table === r.table && name === r.from) {
        touched.delete(k)
        touched.set(key(kind, table, r.to), value)
      }
    }
  }
}

/** A merge can be sound field by field and still point at something the other branch removed. */
function danglingReferences(schema: Schema, migration: string | undefined): RebaseConflict[] {
  if (migration === undefined) return []
  const models = new Set(schema.models.map((m) => m.name))
  const enums = new Set(schema.enums.map((e) => e.name))
  const out: RebaseConflict[] = []
  for (const model of schema.models) {
    for (const field of model.fields) {
      const missing = field.kind === 'relation' ? !models.has(field.type) : field.kind === 'enum' ? !enums.has(field.type) : false
      if (missing) {
        out.push({ subject: `field ${model.name}.${field.name}`, migration, detail: `refers to ${field.kind === 'relation' ? 'model' : 'enum'} ${field.type}, which is gone after the rebase` })
      }
    }
  }
  return out
}

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const byNameOrder = (a: { name: string }, b: { name: string }) => order(a.name, b.name)
const sortByName = <T extends { name: string }>(list: T[]) => list.sort(byNameOrder)

/** `field Product.price: changed on the other branch, changed by 20240102_000000_x`, one per line. */
export function conflictLines(conflicts: readonly RebaseConflict[]): string[] {
  return conflicts.map((c) => `${c.subject}: ${c.detail}`)
}
