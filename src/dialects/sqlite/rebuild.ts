/**
 * The table rebuild of sqlite.org/lang_altertable.html#otheralter, for what ALTER TABLE cannot do
 * (a column's type, nullability, default or CHECK; a primary or foreign key): create the new table,
 * copy the rows, drop the old table, rename the new one, create its indexes and triggers again.
 *
 * It runs with foreign keys OFF (see `foreignKeysOff`): with them on, dropping a parent table deletes
 * its rows first, and ON DELETE CASCADE would delete the children's rows with them. `PRAGMA
 * defer_foreign_keys` would not help: it defers the checks, not the cascades.
 */
import type { DbColumn, DbTable } from '../../schema/physical-types'
import { rebuildTableName } from '../../sql/names'
import { outsideTransaction, sql, type Statement } from '../../sql/statement'
import { conversionChecks, conversionOf } from './conversions'
import { createTableSql, defaultSql, id, ids, tableExtrasSql } from './ddl'

/** A column of the new table filled from the current one (`before`, already under the new name). */
export interface CopiedColumn {
  column: DbColumn
  before: DbColumn
}

/**
 * `table` is the new definition; `copied` its columns that exist in the current table under the same
 * name (renames have run before). A NOT NULL column that was nullable gets its default where the old row
 * held NULL; without a default, such a row makes the copy fail (a destructive change the user agreed
 * to), rolling the whole migration back. A column changing type is converted as PostgreSQL would
 * (conversions.ts), and a value that cannot convert fails the change before the copy.
 */
export function rebuildTable(table: DbTable, copied: readonly CopiedColumn[]): string[] {
  const scratch = rebuildTableName(table.name)
  const out = [createTableSql(table, scratch)]
  if (copied.length) {
    const conversions = copied.flatMap(({ column, before }) => {
      const conversion = conversionOf(before, column)
      return conversion ? [{ column, conversion }] : []
    })
    out.push(...conversionChecks(table.name, table.primaryKey, conversions))
    const values = copied.map(({ column, before }) => {
      const value = conversions.find((c) => c.column === column)?.conversion.value ?? id(column.name)
      const fallback = before.nullable && !column.nullable && !column.autoincrement ? defaultSql(column) : undefined
      return fallback === undefined ? value : `COALESCE(${value}, ${fallback})`
    })
    out.push(`INSERT INTO ${id(scratch)} (${ids(copied.map((c) => c.column.name))}) SELECT ${values.join(', ')} FROM ${id(table.name)}`)
  }
  out.push(`DROP TABLE ${id(table.name)}`, `ALTER TABLE ${id(scratch)} RENAME TO ${id(table.name)}`, ...tableExtrasSql(table))
  return out
}

const CHECKS = '_okra_checks'
const MUST_BE_OFF = 'foreign_keys must be OFF during this migration: run PRAGMA foreign_keys = OFF before BEGIN'
const NO_VIOLATIONS = 'foreign key violations after this migration: PRAGMA foreign_key_check lists them'

/**
 * Wraps statements that need foreign keys off. The pragmas run outside the transaction (inside one
 * they do nothing). Inside, a first check aborts if foreign keys are still on (a runner that ignored
 * `transactional: false`), and a last one aborts on any foreign key violation, so the migration either
 * leaves every reference valid or is rolled back. Both use a CHECK constraint, as SQL has no other
 * portable way to fail on a query's result.
 */
export function foreignKeysOff(statements: readonly string[]): Statement[] {
  return [
    outsideTransaction('PRAGMA foreign_keys = OFF'),
    sql(
      `CREATE TEMP TABLE ${id(CHECKS)} (\n  "foreign_keys" INTEGER CONSTRAINT ${id(MUST_BE_OFF)} CHECK ("foreign_keys" = 0),\n  "violations" INTEGER CONSTRAINT ${id(NO_VIOLATIONS)} CHECK ("violations" = 0)\n)`,
    ),
    sql(`INSERT INTO ${id(CHECKS)} ("foreign_keys") SELECT "foreign_keys" FROM pragma_foreign_keys`),
    ...statements.map(sql),
    sql(`INSERT INTO ${id(CHECKS)} ("violations") SELECT COUNT(*) FROM pragma_foreign_key_check`),
    sql(`DROP TABLE ${id(CHECKS)}`),
    outsideTransaction('PRAGMA foreign_keys = ON'),
  ]
}
