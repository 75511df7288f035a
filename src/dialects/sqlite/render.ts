/**
 * Changes -> SQLite statements. ALTER TABLE where it suffices (rename table and column, add a column
 * with a constant default, drop a plain column), indexes and triggers directly; every other change to a
 * table is folded into one rebuild of that table (rebuild.ts), run after the renames, drops and adds of
 * the batch and before its new indexes and foreign keys.
 *
 * `to` gives the full new definition of rebuilt tables; `from` the tables as they were, to check which
 * columns the rebuild can copy.
 */
import type { AddColumn, AlterColumn, Change, DropColumn, RenameColumn } from '../../diff/changes'
import { unhandledChange } from '../../diff/changes'
import { sameDefault } from '../../diff/compare'
import type { DbSchema, DbTable } from '../../schema/physical-types'
import { type Statement, sql } from '../../sql/statement'
import {
  columnSql,
  createIndexSql,
  createTableSql,
  createUpdatedAtTriggerSql,
  dropUpdatedAtTriggerSql,
  id,
  isConstantDefault,
  tableExtrasSql,
} from './ddl'
import { conversionChecks, conversionOf } from './conversions'
import { type CopiedColumn, foreignKeysOff, rebuildTable } from './rebuild'
import { sqliteTypes } from './types'

/** The kinds that run after the rebuilds (they need the rebuilt tables in their final form). */
const AFTER_REBUILDS = new Set<Change['kind']>(['renameIndex', 'createIndex', 'renameForeignKey', 'addForeignKey'])

export function renderSqlite(changes: readonly Change[], to: DbSchema, from: DbSchema): Statement[] {
  const plan = new Plan(changes, to, from)
  const out: string[] = []
  let rebuilt = false
  for (const change of changes) {
    if (!rebuilt && AFTER_REBUILDS.has(change.kind)) {
      out.push(...plan.rebuilds())
      rebuilt = true
    }
    out.push(...plan.render(change))
  }
  if (!rebuilt) out.push(...plan.rebuilds())
  return plan.needsForeignKeysOff ? foreignKeysOff(out) : out.map(sql)
}

class Plan {
  /** Tables (by new name) rebuilt as a whole: their other changes are skipped. */
  readonly rebuild = new Set<string>()
  readonly needsForeignKeysOff: boolean
  private readonly newName = new Map<string, string>()

  constructor(
    private readonly changes: readonly Change[],
    private readonly to: DbSchema,
    private readonly from: DbSchema,
  ) {
    for (const c of changes) if (c.kind === 'renameTable') this.newName.set(c.from, c.to)
    for (const c of changes) if (needsRebuild(c)) this.rebuild.add(this.tableOf(c)!)
    // Dropping a table with foreign keys on would first delete its rows, cascading into other tables.
    this.needsForeignKeysOff = this.rebuild.size > 0 || changes.some((c) => c.kind === 'dropTable')
  }

  /** The new name of the table a change is about (drop-phase changes name the table by its old name). */
  private tableOf(change: Change): string | undefined {
    if (change.kind === 'renameTable') return change.to
    if (!('table' in change) || typeof change.table !== 'string') return undefined
    const dropPhase = change.kind === 'dropForeignKey' || change.kind === 'dropIndex' || change.kind === 'dropColumn'
    return dropPhase ? (this.newName.get(change.table) ?? change.table) : change.table
  }

  render(change: Change): string[] {
    const table = this.tableOf(change)
    if (table !== undefined && this.rebuild.has(table)) return this.renderInRebuiltTable(change)
    switch (change.kind) {
      case 'createEnum':
      case 'dropEnum':
      case 'alterEnum':
        throw new Error(`renderSqlite: SQLite has no enum types (got ${change.kind}); its enum columns carry a CHECK`)
      case 'createTable':
        return [createTableSql(change.table), ...tableExtrasSql(change.table)]
      case 'dropTable':
        return [`DROP TABLE ${id(change.table.name)}`]
      case 'renameTable':
        // The triggers follow the table, but their names hold the table's: recreate them.
        return [
          `ALTER TABLE ${id(change.from)} RENAME TO ${id(change.to)}`,
          ...change.updatedAtColumns.flatMap((c) => [dropUpdatedAtTriggerSql(change.from, c), createUpdatedAtTriggerSql(change.to, c)]),
        ]
      case 'addColumn':
        return [`ALTER TABLE ${id(change.table)} ADD COLUMN ${columnSql(change.column)}`, ...triggerOf(change)]
      case 'dropColumn':
        return [
          ...(change.column.updatedAt ? [dropUpdatedAtTriggerSql(change.table, change.column.name)] : []),
          `ALTER TABLE ${id(change.table)} DROP COLUMN ${id(change.column.name)}`,
        ]
      case 'renameColumn': {
        const rename = `ALTER TABLE ${id(change.table)} RENAME COLUMN ${id(change.from)} TO ${id(change.to)}`
        if (!change.column.updatedAt) return [rename]
        return [rename, dropUpdatedAtTriggerSql(change.table, change.from), createUpdatedAtTriggerSql(change.table, change.to)]
      }
      case 'alterColumn': {
        // Not rebuilt: only the trigger changes, or only the OKRA type (Int -> BigInt, both INTEGER here;
        // Int -> Boolean keeps the storage but not the values: 5 becomes 1, as on PostgreSQL).
        const out = convertInPlace(change)
        if (change.aspects.includes('updatedAt')) {
          out.push(change.to.updatedAt ? createUpdatedAtTriggerSql(change.table, change.to.name) : dropUpdatedAtTriggerSql(change.table, change.to.name))
        }
        return out
      }
      case 'createIndex':
        return [createIndexSql(change.table, change.index)]
      case 'dropIndex':
        return [`DROP INDEX ${id(change.index.name)}`]
      case 'renameIndex':
        return [`DROP INDEX ${id(change.from)}`, createIndexSql(change.table, change.index)]
      case 'addForeignKey':
      case 'dropForeignKey':
        // Only those needsRebuild lets pass get here: nothing to do on SQLite.
        return []
      case 'renameForeignKey':
        throw new Error('renderSqlite: SQLite foreign key names are not compared, so no renameForeignKey is expected')
      case 'alterPrimaryKey':
        throw new Error(`renderSqlite: a primary key change of ${change.table} needs its table rebuilt`)
      default:
        return unhandledChange(change, 'renderSqlite')
    }
  }

  /**
   * A change to a table being rebuilt: renames run now (ALTER TABLE RENAME also rewrites the other tables'
   * foreign keys that name it); a dropped column whose name a rename takes is renamed out of the way;
   * dropped indexes go at once; the rest is done by the rebuild.
   */
  private renderInRebuiltTable(change: Change): string[] {
    if (change.kind === 'renameTable') return [`ALTER TABLE ${id(change.from)} RENAME TO ${id(change.to)}`]
    if (change.kind === 'renameColumn') return [`ALTER TABLE ${id(change.table)} RENAME COLUMN ${id(change.from)} TO ${id(change.to)}`]
    // Dropped now rather than with the old table: a table created before the rebuild may reuse the name.
    // An index SQLite made for an inline UNIQUE cannot be dropped: it goes with the old table.
    if (change.kind === 'dropIndex') return sqliteTypes.isDatabaseNamedIndex(change.index.name) ? [] : [`DROP INDEX ${id(change.index.name)}`]
    if (change.kind === 'dropColumn' && this.isRenameTarget(change)) {
      return [`ALTER TABLE ${id(change.table)} RENAME COLUMN ${id(change.column.name)} TO ${id(`_okra_dropped_${change.column.name}`)}`]
    }
    return []
  }

  private isRenameTarget(drop: DropColumn): boolean {
    const table = this.tableOf(drop)
    return this.changes.some((c) => c.kind === 'renameColumn' && c.table === table && c.to === drop.column.name)
  }

  rebuilds(): string[] {
    return [...this.rebuild].sort().flatMap((name) => {
      const table = this.to.tables.find((t) => t.name === name)
      if (!table) throw new Error(`renderSqlite: table ${name} is rebuilt but missing from the target schema`)
      return rebuildTable(table, this.copiedColumns(table))
    })
  }

  /** The new table's columns that exist in the current one (all but those added by this batch), with their current nullability. */
  private copiedColumns(table: DbTable): CopiedColumn[] {
    const added = new Set(this.changes.filter((c): c is AddColumn => c.kind === 'addColumn' && c.table === table.name).map((c) => c.column.name))
    const oldName = [...this.newName].find(([, n]) => n === table.name)?.[0] ?? table.name
    const old = this.from.tables.find((t) => t.name === oldName)
    if (!old) throw new Error(`renderSqlite: table ${table.name} is rebuilt but ${oldName} is missing from the current schema`)
    const renamedFrom = new Map(
      this.changes.filter((c): c is RenameColumn => c.kind === 'renameColumn' && c.table === table.name).map((c) => [c.to, c.from]),
    )
    return table.columns
      .filter((column) => !added.has(column.name))
      .map((column) => {
        const before = old.columns.find((o) => o.name === (renamedFrom.get(column.name) ?? column.name))
        if (!before) throw new Error(`renderSqlite: column ${table.name}.${column.name} is neither in ${oldName} nor added`)
        return { column, before }
      })
  }
}

/** A type change SQLite stores alike but PostgreSQL converts: the values are converted in place. */
function convertInPlace(change: AlterColumn): string[] {
  const conversion = change.aspects.includes('type') ? conversionOf(change.from, change.to) : undefined
  if (!conversion) return []
  const column = id(change.to.name)
  return [
    ...conversionChecks(change.table, [], [{ column: change.to, conversion }]),
    `UPDATE ${id(change.table)} SET ${column} = ${conversion.value} WHERE ${column} IS NOT NULL`,
  ]
}

function triggerOf(change: AddColumn): string[] {
  return change.column.updatedAt ? [createUpdatedAtTriggerSql(change.table, change.column.name)] : []
}

/** Whether SQLite's ALTER TABLE cannot do this change, so its table must be rebuilt. */
function needsRebuild(change: Change): boolean {
  switch (change.kind) {
    case 'alterColumn':
      return storageChanged(change)
    case 'alterPrimaryKey':
      return true
    case 'dropIndex':
      // An inline UNIQUE of CREATE TABLE (sqlite_autoindex_*): only a new table without it removes it.
      return sqliteTypes.isDatabaseNamedIndex(change.index.name)
    case 'addForeignKey':
    case 'dropForeignKey':
      // Written inside CREATE TABLE or gone with DROP TABLE; PostgreSQL's drop-and-add around a change.
      return change.implied !== 'withTable' && change.implied !== 'recreate'
    case 'addColumn': {
      const c = change.column
      // ADD COLUMN takes neither a key nor an expression default, and NOT NULL only with a non-null default.
      const constant = isConstantDefault(c)
      return c.autoincrement || !constant || (!c.nullable && c.default === null)
    }
    default:
      return false
  }
}

/** Anything but the trigger and the OKRA type name differs in how the column is stored. */
function storageChanged(change: AlterColumn): boolean {
  const { from, to } = change
  return (
    from.type !== to.type ||
    from.nullable !== to.nullable ||
    !sameDefault(from, to, sqliteTypes) ||
    from.autoincrement !== to.autoincrement ||
    change.aspects.includes('enumValues')
  )
}
