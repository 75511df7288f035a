/**
 * PostgreSQL backups: every table the destructive changes touch, copied row for row into
 * `okra_backup."<timestamp>_<table>"` inside the sync's transaction (enum columns as text, so the copy
 * never holds on to a type the sync drops). `db:reset` drops the backup schema. A project in another
 * schema than `public` (`?schema=app`) has its own backup schema, `okra_backup_app`, so two projects
 * sharing a database never see, nor drop, each other's backups.
 */
import { createHash } from 'node:crypto'
import { backupStamp } from '../backup-names'
import type { BackupRequest, SyncBackup } from '../dialect'
import { quote } from './ddl'

export const BACKUP_SCHEMA = 'okra_backup'

/** The backup schema of a project working in `schema`: `okra_backup` for `public`, else `okra_backup_<schema>` (at most 63 bytes). */
export function backupSchemaOf(schema: string): string {
  if (schema === 'public') return BACKUP_SCHEMA
  const name = `${BACKUP_SCHEMA}_${schema}`
  if (Buffer.byteLength(name) <= 63) return name
  const hash = createHash('sha256').update(schema).digest('hex').slice(0, 8)
  let cut = schema
  while (Buffer.byteLength(`${BACKUP_SCHEMA}_${cut}_${hash}`) > 63) cut = cut.slice(0, -1)
  return `${BACKUP_SCHEMA}_${cut}_${hash}`
}

/** A backup table name: `<timestamp>_<table>`, at most 63 bytes (a long table name is cut and given a short hash). */
export function backupTableName(table: string, now: Date): string {
  const prefix = backupStamp(now).replace(/-/g, '') + '_'
  const name = prefix + table
  if (Buffer.byteLength(name) <= 63) return name
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 8)
  let cut = table
  while (Buffer.byteLength(prefix + cut + '_' + hash) > 63) cut = cut.slice(0, -1)
  return `${prefix}${cut}_${hash}`
}

/** Copies `request.tables` (as they are in `request.from`) into the backup schema of `inSchema`, through `request.tx`. */
export async function backupPostgres({ tx, from, tables = [], now = new Date() }: BackupRequest, inSchema = 'public'): Promise<SyncBackup> {
  if (!tx || !from) throw new Error('A PostgreSQL backup runs inside the transaction that changes the tables')
  const enums = new Set(from.enums.map((e) => e.name))
  const backupSchema = backupSchemaOf(inSchema)
  const schema = quote.identifier(backupSchema)
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
  const names: string[] = []
  for (const name of tables) {
    const table = from.tables.find((t) => t.name === name)
    if (!table) continue
    const backup = backupTableName(name, now)
    const columns = table.columns.map((c) => (enums.has(c.type) ? `${quote.identifier(c.name)}::text AS ${quote.identifier(c.name)}` : quote.identifier(c.name)))
    await tx.query(`CREATE TABLE ${schema}.${quote.identifier(backup)} AS SELECT ${columns.join(', ')} FROM ${quote.identifier(inSchema)}.${quote.identifier(name)}`)
    names.push(`${backupSchema}.${quote.identifier(backup)}`)
  }
  return {
    kind: 'tables',
    schema: backupSchema,
    tables: names,
    restoreHint: `the rows as they were are in ${names.join(', ')} (read them back with INSERT INTO ... SELECT ... FROM that table)`,
  }
}
