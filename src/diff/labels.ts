/**
 * Renames told by the schema's own labels: when both sides of a diff come from schemas (the fast path's
 * `current/schema.json`, a snapshot), a table whose model kept its name but whose `@@map` changed, or a
 * column whose field kept its name but whose `@map` changed, is the same thing under a new name: `@map` and
 * `@@map` renames keep data. Introspected tables carry no labels, so there the
 * decision falls to the `fallback` resolver.
 */
import type { RenameResolver } from './renames'
import type { DbSchema, DbTable } from '../schema/physical-types'

export function labelRenames(from: DbSchema, to: DbSchema, fallback?: RenameResolver): RenameResolver {
  const fromByName = new Map(from.tables.map((t) => [t.name, t]))
  const toByName = new Map(to.tables.map((t) => [t.name, t]))
  const fromByModel = new Map(from.tables.filter((t) => t.model && !t.joinTable).map((t) => [t.model!, t]))
  const before = (table: DbTable): DbTable | undefined => (table.model && !table.joinTable ? fromByModel.get(table.model) : undefined) ?? fromByName.get(table.name)
  return (candidate) => {
    if (candidate.kind === 'table') {
      const a = fromByName.get(candidate.from)
      const b = toByName.get(candidate.to)
      if (a?.model && !a.joinTable && !b?.joinTable && a.model === b?.model) return 'rename'
    } else {
      const table = toByName.get(candidate.table)
      const old = table && before(table)
      const a = old?.columns.find((c) => c.name === candidate.from)
      const b = table?.columns.find((c) => c.name === candidate.to)
      if (a?.field !== undefined && a.field === b?.field) return 'rename'
    }
    return fallback ? fallback(candidate) : 'drop-add'
  }
}
