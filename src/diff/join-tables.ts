/**
 * Implicit many-to-many join tables follow their models. A join table's name and column names come
 * from the models' names, so renaming a model renames them too: without this, the differ would drop
 * the old join table (every link in it) and create a new, empty one.
 *
 * A table left dropped and one left created are the same join table when both have its shape (two
 * columns, together the primary key, each a foreign key) and reference the same tables once the
 * renames of those tables are taken into account, at least one of them renamed. Their columns pair by
 * the table they reference. The rename resolver is never asked about join tables: they follow.
 */
import type { DbColumn, DbTable } from '../schema/physical-types'
import type { Pairing } from './renames'

export function isJoinShaped(table: DbTable): boolean {
  const [a, b] = table.columns
  return (
    table.columns.length === 2 &&
    table.primaryKey.length === 2 &&
    table.primaryKey.includes(a!.name) &&
    table.primaryKey.includes(b!.name) &&
    table.foreignKeys.length === 2 &&
    table.columns.every((c) => table.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === c.name))
  )
}

/**
 * An implicit many-to-many join table: marked so by toPhysical, or, read from a database (no labels),
 * of its shape. An explicit join model (labelled, not marked) is a model like any other.
 */
export function isImplicitJoin(table: DbTable): boolean {
  return table.joinTable === true || (table.model === undefined && isJoinShaped(table))
}

/** The referenced tables of a join table's columns, in column order. */
function targets(table: DbTable): string[] {
  return table.columns.map((c) => table.foreignKeys.find((fk) => fk.columns[0] === c.name)!.refTable)
}

/** Moves join tables that only changed name from `added`/`dropped` into `pairs`. `newName` maps old table names to new ones. */
export function followJoinTables(tables: Pairing<DbTable>, newName: (old: string) => string | undefined): Pairing<DbTable> {
  const pairs = [...tables.pairs]
  const added = [...tables.added]
  const dropped = [...tables.dropped]
  for (const t of tables.added.filter((a) => isImplicitJoin(a) && isJoinShaped(a))) {
    const wanted = [...targets(t)].sort().join('\0')
    // Only a rename of a referenced model explains the new name: a join table between the same tables
    // under another name is another relation, whose links are not the old one's.
    const follows = (d: DbTable) => {
      const renamed = targets(d).map((r) => newName(r) ?? `\0${r}`)
      return renamed.sort().join('\0') === wanted && targets(d).some((r) => newName(r) !== r)
    }
    const f = dropped.find((d) => isImplicitJoin(d) && isJoinShaped(d) && follows(d))
    if (!f) continue
    pairs.push([f, t])
    added.splice(added.indexOf(t), 1)
    dropped.splice(dropped.indexOf(f), 1)
  }
  return { pairs, added, dropped }
}

/** The columns of two join tables paired by the table each references (in order, for a self-relation). */
export function pairJoinColumns(from: DbTable, to: DbTable, newName: (old: string) => string | undefined): Pairing<DbColumn> {
  const free = [...from.columns]
  const pairs: [DbColumn, DbColumn][] = []
  const fromTargets = new Map(from.columns.map((c, i) => [c, targets(from)[i]!]))
  to.columns.forEach((column, i) => {
    const target = targets(to)[i]
    const match = free.find((c) => newName(fromTargets.get(c)!) === target)!
    free.splice(free.indexOf(match), 1)
    pairs.push([match, column])
  })
  return { pairs, added: [], dropped: [] }
}
