/**
 * A SQLite table rebuild (rebuild.ts) drops the old table, and every index and trigger on it goes with it.
 * The rebuild creates again what OKRA declares (the schema's indexes, the @updatedAt triggers); this keeps
 * the others, made by hand in a migration's SQL (an expression index, a partial unique index, an audit
 * trigger), which sync and migrate:up promise never to drop: they are read before the statements run and
 * created again after them, in the same transaction. What the script drops by name stays dropped (OKRA
 * renders a DROP INDEX for each index it no longer declares), and OKRA's own triggers are never carried.
 */
import { OkraError } from '../../errors'
import { rebuildTableName, updatedAtTriggerName } from '../../sql/names'
import type { Queryable } from '../driver'
import { DriverError } from '../driver'

const QUOTED = '"((?:[^"]|"")+)"'
const NAME = `(?:${QUOTED}|([A-Za-z_][A-Za-z0-9_$]*))`
/** The last step of a rebuild: `ALTER TABLE "_okra_new_t" RENAME TO "t"`. */
const RENAME = new RegExp(`ALTER\\s+TABLE\\s+${QUOTED}\\s+RENAME\\s+TO\\s+${QUOTED}`, 'gi')
const DROPPED = new RegExp(`DROP\\s+(?:INDEX|TRIGGER)\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`, 'gi')

const unquote = (quoted: string) => quoted.replace(/""/g, '"')

/** The tables `script` rebuilds. */
export function rebuiltTables(script: string): string[] {
  const tables = new Set<string>()
  for (const [, from, to] of script.matchAll(RENAME)) {
    const table = unquote(to!)
    if (unquote(from!) === rebuildTableName(table)) tables.add(table)
  }
  return [...tables]
}

/** The indexes and triggers `script` drops by name. */
export function droppedByName(script: string): Set<string> {
  return new Set([...script.matchAll(DROPPED)].map(([, quoted, bare]) => (quoted !== undefined ? unquote(quoted) : bare!)))
}

interface Carried {
  type: 'index' | 'trigger'
  name: string
  table: string
  sql: string
}

/** Runs `run` (which executes `script` through `db`) keeping the hand-made indexes and triggers of the tables it rebuilds. */
export async function keepThroughRebuilds(db: Queryable, script: string, run: () => Promise<void>): Promise<void> {
  const tables = rebuiltTables(script)
  if (tables.length === 0) return run()
  const dropped = droppedByName(script)
  // OKRA's own @updatedAt triggers go with the table: the rebuild makes those the new table still needs.
  const columns = await db.query<{ table: string; name: string }>(`SELECT t.value AS "table", c.name FROM json_each($1) t, pragma_table_info(t.value) c`, [
    JSON.stringify(tables),
  ])
  const okrasOwn = new Set(columns.map((c) => updatedAtTriggerName(c.table, c.name)))
  const carried = (
    await db.query<Carried>(
      `SELECT type, name, tbl_name AS "table", sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each($1)) ORDER BY rowid`,
      [JSON.stringify(tables)],
    )
  ).filter((object) => !dropped.has(object.name) && !(object.type === 'trigger' && okrasOwn.has(object.name)))
  await run()
  if (carried.length === 0) return
  const now = new Set((await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')`)).map((row) => row.name))
  for (const object of carried) {
    // Made again by the rebuild: an index the schema declares, OKRA's own trigger.
    if (now.has(object.name)) continue
    try {
      await db.query(object.sql)
    } catch (error) {
      if (!(error instanceof DriverError)) throw error
      throw new OkraError(
        `The ${object.type} "${object.name}" on table ${object.table}, made by hand (no schema declares it), cannot be kept through the rebuild of that table: ${error.message.split('\n')[0]}. Nothing was changed.`,
        `It uses something this change removes. Drop it first (DROP ${object.type.toUpperCase()} "${object.name}" in a migration: okra db:migrate:create), or keep what it uses.`,
      )
    }
  }
}
