/**
 * Backups taken before a sync applies destructive changes without a person's consent (the plugin's
 * auto-sync, or `db:sync --backup`), so the data can be brought back (SPEC section 8):
 *
 * - SQLite: the whole database copied with `VACUUM INTO` (a consistent copy, also of a WAL database with
 *   writers) into `.okra/backups/<timestamp>.db`; only the newest 5 are kept.
 * - PostgreSQL: every table the destructive changes touch, copied row for row into
 *   `okra_backup."<timestamp>_<table>"` inside the sync's transaction (enum columns as text, so the copy
 *   never holds on to a type the sync drops). `db:reset` drops the `okra_backup` schema.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Change } from './diff/index'
import type { Queryable } from './drivers/types'
import type { DbSchema } from './schema/physical-types'

export const SQLITE_BACKUP_DIR = '.okra/backups'
export const SQLITE_BACKUPS_KEPT = 5
export const BACKUP_SCHEMA = 'okra_backup'

export type SyncBackup =
  | { kind: 'sqlite-file'; /** Absolute path of the copy. */ path: string; restoreHint: string }
  | { kind: 'postgres-schema'; schema: typeof BACKUP_SCHEMA; /** The backup tables, `okra_backup."<timestamp>_<table>"`. */ tables: string[]; restoreHint: string }

const id = (name: string) => `"${name.replace(/"/g, '""')}"`

/** `20240120-143022-123` (UTC): sorts in time order. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '')
}

/**
 * Copies the SQLite database behind `db` into `<root>/.okra/backups/<timestamp>.db` and removes all but
 * the newest `SQLITE_BACKUPS_KEPT` copies. `databaseFile` (absolute, or `:memory:`) is named in the hint.
 */
export async function backupSqlite(db: Queryable, root: string, databaseFile: string, now = new Date()): Promise<SyncBackup> {
  const dir = join(root, SQLITE_BACKUP_DIR)
  mkdirSync(dir, { recursive: true })
  let path = join(dir, `${stamp(now)}.db`)
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stamp(now)}-${n}.db`)
  await db.query(`VACUUM INTO '${path.replace(/'/g, "''")}'`)
  pruneSqliteBackups(dir)
  const shown = relative(root, path)
  const target = databaseFile === ':memory:' ? 'the database' : relative(root, databaseFile)
  return {
    kind: 'sqlite-file',
    path,
    restoreHint: `to restore, stop the dev server and copy ${shown} over ${target} (delete ${target}-wal and ${target}-shm if present)`,
  }
}

function pruneSqliteBackups(dir: string): void {
  const copies = readdirSync(dir)
    .filter((name) => /^\d{8}-\d{6}-\d{3}(-\d+)?\.db$/.test(name))
    .sort()
  for (const name of copies.slice(0, Math.max(0, copies.length - SQLITE_BACKUPS_KEPT))) rmSync(join(dir, name), { force: true })
}

/** The tables (names before the batch) whose rows the changes can lose or alter. */
export function tablesAtRisk(changes: readonly Change[]): string[] {
  const oldName = new Map<string, string>()
  for (const c of changes) if (c.kind === 'renameTable') oldName.set(c.to, c.from)
  const before = (table: string) => oldName.get(table) ?? table
  const tables = new Set<string>()
  for (const c of changes) {
    if (c.safety.level !== 'destructive') continue
    if (c.kind === 'dropTable') tables.add(c.table.name)
    else if (c.kind === 'dropColumn') tables.add(c.table)
    else if (c.kind === 'alterEnum') for (const column of c.columns) tables.add(before(column.table))
    else if ('table' in c && typeof c.table === 'string') tables.add(before(c.table))
  }
  return [...tables].sort()
}

/** A backup table name: `<timestamp>_<table>`, at most 63 bytes (a long table name is cut and given a short hash). */
export function backupTableName(table: string, now: Date): string {
  const prefix = stamp(now).replace(/-/g, '') + '_'
  const name = prefix + table
  if (Buffer.byteLength(name) <= 63) return name
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 8)
  let cut = table
  while (Buffer.byteLength(prefix + cut + '_' + hash) > 63) cut = cut.slice(0, -1)
  return `${prefix}${cut}_${hash}`
}

/**
 * Copies `tables` (as they are in `from`) into the `okra_backup` schema; run it inside the sync's
 * transaction before the changes.
 */
export async function backupPostgres(tx: Queryable, from: DbSchema, tables: readonly string[], now = new Date()): Promise<SyncBackup> {
  const enums = new Set(from.enums.map((e) => e.name))
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${id(BACKUP_SCHEMA)}`)
  const names: string[] = []
  for (const name of tables) {
    const table = from.tables.find((t) => t.name === name)
    if (!table) continue
    const backup = backupTableName(name, now)
    const columns = table.columns.map((c) => (enums.has(c.type) ? `${id(c.name)}::text AS ${id(c.name)}` : id(c.name)))
    await tx.query(`CREATE TABLE ${id(BACKUP_SCHEMA)}.${id(backup)} AS SELECT ${columns.join(', ')} FROM ${id(name)}`)
    names.push(`${BACKUP_SCHEMA}.${id(backup)}`)
  }
  return {
    kind: 'postgres-schema',
    schema: BACKUP_SCHEMA,
    tables: names,
    restoreHint: `the rows as they were are in ${names.join(', ')} (read them back with INSERT INTO ... SELECT ... FROM that table)`,
  }
}
