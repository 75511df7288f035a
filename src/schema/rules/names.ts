/**
 * Database names must not collide: tables (models and join tables, and PostgreSQL enum types, which
 * share their namespace), columns within a table, and index names (global in a PostgreSQL schema).
 * Names are limited to 63 bytes and `_okra_*` tables are OKRA's own.
 */
import type { Location } from '../../language/source'
import { MAX_IDENTIFIER_BYTES, byteLength } from '../naming'
import type { JoinTable } from '../types'
import type { CheckContext } from './context'
import type { EnumDef } from './definitions'
import type { TableModel } from './drafts'
import type { NamedIndex } from './indexes'

const RESERVED_PREFIX = '_okra_'

export function checkDatabaseNames(
  ctx: CheckContext,
  tables: readonly TableModel[],
  joinTables: readonly (JoinTable & { loc: Location })[],
  enums: readonly EnumDef[],
  finals: ReadonlyMap<string, { indexes: NamedIndex[]; uniques: NamedIndex[] }>,
): void {
  const owners = new Map<string, string>()
  const claim = (name: string, owner: string, loc: Location, hint: string) => {
    const first = owners.get(name)
    if (first) ctx.error(loc, `Table name '${name}' of ${owner} is already used by ${first}`, hint)
    else owners.set(name, owner)
    if (name.startsWith(RESERVED_PREFIX)) ctx.error(loc, `Table name '${name}' of ${owner} is reserved: names starting with ${RESERVED_PREFIX} are OKRA's own tables`, 'Choose another name.')
    if (byteLength(name) > MAX_IDENTIFIER_BYTES) ctx.error(loc, `Table name '${name}' of ${owner} is longer than ${MAX_IDENTIFIER_BYTES} bytes`, hint)
  }
  for (const model of tables) claim(model.table, `model '${model.name}'`, model.tableLoc, 'Use @@map("...") to give the table another name.')
  for (const join of joinTables) claim(join.table, `the join table of relation '${join.relationName}'`, join.loc, 'Give the relation another name with @relation(name: "...") on both sides.')
  const enumTypes = new Map<string, string>()
  for (const e of enums) {
    const name = e.output.dbName
    const other = owners.get(name) ?? enumTypes.get(name)
    if (other) ctx.error(e.node.name.loc, `Enum '${e.output.name}' would create the database type '${name}', which is already used by ${other}`, 'Rename the enum, or map the table to another name.')
    enumTypes.set(name, `enum '${e.output.name}'`)
  }
  for (const model of tables) checkColumns(ctx, model)
  checkIndexNames(ctx, tables, finals)
}

function checkColumns(ctx: CheckContext, model: TableModel): void {
  const columns = new Map<string, string>()
  for (const { draft, spread } of model.fields) {
    if (draft.kind !== 'scalar' && draft.kind !== 'enum') continue
    const loc = spread ? spread.name.loc : draft.columnLoc
    const first = columns.get(draft.column)
    if (first) ctx.error(loc, `Fields '${first}' and '${draft.name}' of model '${model.name}' both map to column '${draft.column}'`, 'Use @map("...") to give one of them another column name.')
    else columns.set(draft.column, draft.name)
    if (byteLength(draft.column) > MAX_IDENTIFIER_BYTES) ctx.error(loc, `Column name '${draft.column}' of field '${draft.name}' is longer than ${MAX_IDENTIFIER_BYTES} bytes`, 'Use @map("...") with a shorter name.')
  }
}

function checkIndexNames(ctx: CheckContext, tables: readonly TableModel[], finals: ReadonlyMap<string, { indexes: NamedIndex[]; uniques: NamedIndex[] }>): void {
  const owners = new Map<string, string>()
  for (const model of tables) {
    const { indexes, uniques } = finals.get(model.name)!
    for (const list of [indexes, uniques]) {
      for (const index of list) {
        const first = owners.get(index.name)
        if (first) ctx.error(index.loc, `Index name '${index.name}' of model '${model.name}' is already used by ${first}`, 'Give one of them another name with map: "...", or map the table or a column to another name.')
        else owners.set(index.name, `model '${model.name}'`)
      }
    }
    const keys = new Map<string, string>()
    for (const key of model.foreignKeys) {
      const first = keys.get(key.name)
      if (first) ctx.error(key.loc, `Relations '${first}' and '${key.relationField}' of model '${model.name}' use the same key fields`, 'Give each relation its own key fields.')
      else keys.set(key.name, key.relationField)
    }
  }
}
