/**
 * The SQL of a migration derived from two schema states (the previous folder's schema.json and this
 * one's) for one provider. Deterministic: the `@renamed` hints inside the schemas play no part; only the
 * rename decisions the snapshot stored in the folder's renames.json do, so the same folder always gives
 * the same SQL, and the checksum covers every input. Pure.
 */
import type { Change, DiffWarning } from '../diff/changes'
import { diff } from '../diff/diff'
import type { Dialect } from '../dialects/index'
import type { SyncedRename } from '../project/renames'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider, TypeRules } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import type { Statement } from '../sql/statement'

export interface DerivedStep {
  from: DbSchema
  to: DbSchema
  changes: Change[]
  statements: Statement[]
  warnings: DiffWarning[]
}

export function emptyDbSchema(provider: Provider): DbSchema {
  return { provider, tables: [], enums: [] }
}

/** The physical model without any rename hint: renames come only from explicit decisions. */
export function physicalWithoutHints(schema: Schema | null, types: TypeRules): DbSchema {
  if (!schema) return emptyDbSchema(types.provider)
  const physical = toPhysical(schema, types)
  for (const table of physical.tables) {
    delete table.renamedFrom
    for (const column of table.columns) delete column.renamedFrom
  }
  return physical
}

/**
 * Turns rename decisions (physical names; a column's `table` is its table's name in `to`) into hints on
 * `to`, pointing at the `from` table or column by the label the differ matches hints with.
 */
export function applyRenameDecisions(from: DbSchema, to: DbSchema, renames: readonly SyncedRename[]): void {
  const fromTable = (name: string) => from.tables.find((t) => t.name === name)
  const toTable = (name: string) => to.tables.find((t) => t.name === name)
  const tableRenames = renames.filter((r) => r.kind === 'table')
  for (const rename of tableRenames) {
    const [old, renamed] = [fromTable(rename.from), toTable(rename.to)]
    if (old && renamed) renamed.renamedFrom = [old.model ?? old.name]
  }
  for (const rename of renames) {
    if (rename.kind !== 'column') continue
    const renamed = toTable(rename.table)
    const oldName = tableRenames.find((r) => r.to === rename.table)?.from ?? rename.table
    const old = fromTable(oldName)
    const oldColumn = old?.columns.find((c) => c.name === rename.from)
    const newColumn = renamed?.columns.find((c) => c.name === rename.to)
    if (oldColumn && newColumn) newColumn.renamedFrom = [oldColumn.field ?? oldColumn.name]
  }
}

/** The decisions for going back: `a->b` becomes `b->a`; a column is then named in its table's old name. */
export function invertRenames(renames: readonly SyncedRename[]): SyncedRename[] {
  const tableRenames = renames.filter((r) => r.kind === 'table')
  return renames.map((r): SyncedRename => {
    if (r.kind === 'table') return { kind: 'table', from: r.to, to: r.from }
    const oldTable = tableRenames.find((t) => t.to === r.table)?.from ?? r.table
    return { kind: 'column', table: oldTable, from: r.to, to: r.from }
  })
}

/** From one schema state to the next (null: the empty database), for `dialect`. */
export async function deriveStep(from: Schema | null, to: Schema | null, dialect: Dialect, renames: readonly SyncedRename[]): Promise<DerivedStep> {
  const fromDb = physicalWithoutHints(from, dialect.types)
  const toDb = physicalWithoutHints(to, dialect.types)
  applyRenameDecisions(fromDb, toDb, renames)
  const { changes, warnings } = await diff(fromDb, toDb, { types: dialect.types })
  return { from: fromDb, to: toDb, changes, statements: dialect.render(changes, toDb, fromDb), warnings }
}
