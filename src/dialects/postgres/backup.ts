/**
 * PostgreSQL backups: every table the destructive changes touch, copied row for row into
 * `okra_backup."<timestamp>_<table>"` inside the sync's transaction (enum columns as text, so the copy
 * never holds on to a type the sync drops). `db:reset` drops the backup schema. A project in another
 * schema than `public` (`?schema=app`) has its own backup schema, `okra_backup_app`, so two projects
 * sharing a database never see, nor drop, each other's backups.
 */
import { sha256Hex } from '../../hash'
import { OkraError } from '../../errors'
import type { DbSchema } from '../../schema/physical-types'
import { backupName, backupStamp, byTime, parseBackupName, sanitiseLabel } from '../backup-names'
import { type BackupEntry, type BackupRequest, DEFAULT_BACKUPS_KEPT, type SyncBackup } from '../dialect'
import type { Queryable } from '../driver'
import { quote } from './ddl'

export const BACKUP_SCHEMA = 'okra_backup'

/** The backup schema of a project working in `schema`: `okra_backup` for `public`, else `okra_backup_<schema>` (at most 63 bytes). */
export function backupSchemaOf(schema: string): string {
  if (schema === 'public') return BACKUP_SCHEMA
  const name = `${BACKUP_SCHEMA}_${schema}`
  if (Buffer.byteLength(name) <= 63) return name
  const hash = sha256Hex(schema).slice(0, 8)
  let cut = schema
  while (Buffer.byteLength(`${BACKUP_SCHEMA}_${cut}_${hash}`) > 63) cut = cut.slice(0, -1)
  return `${BACKUP_SCHEMA}_${cut}_${hash}`
}

/** A backup table name: `<timestamp>_<table>`, at most 63 bytes (a long table name is cut and given a short hash). */
export function backupTableName(table: string, now: Date): string {
  const prefix = backupStamp(now).replace(/-/g, '') + '_'
  const name = prefix + table
  if (Buffer.byteLength(name) <= 63) return name
  const hash = sha256Hex(table).slice(0, 8)
  let cut = table
  while (Buffer.byteLength(prefix + cut + '_' + hash) > 63) cut = cut.slice(0, -1)
  return `${prefix}${cut}_${hash}`
}

/**
 * Copies `request.tables` (as they are in `request.from`) into the backup schema of `inSchema`, through
 * `request.tx`; then drops the copies of all but the newest `request.keep` syncs (each sync's copies share
 * one timestamp), so a dev database that auto-syncs all day does not fill up with them.
 */
export async function backupPostgres({ tx, from, tables = [], now = new Date(), keep = DEFAULT_BACKUPS_KEPT }: BackupRequest, inSchema = 'public'): Promise<SyncBackup> {
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
  await pruneSyncCopies(tx, backupSchema, keep)
  return {
    kind: 'tables',
    schema: backupSchema,
    tables: names,
    restoreHint: `the rows as they were are in ${names.join(', ')} (read them back with INSERT INTO ... SELECT ... FROM that table)`,
  }
}

/** Drops the copies of all but the newest `keep` syncs in `backupSchema` (tables named `<17-digit timestamp>_<table>`). */
async function pruneSyncCopies(tx: Queryable, backupSchema: string, keep: number): Promise<void> {
  const copies = await tx.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [backupSchema])
  const stampOf = (name: string) => /^(\d{17})_/.exec(name)?.[1]
  const kept = new Set([...new Set(copies.map((c) => stampOf(c.name)).filter((s): s is string => s !== undefined))].sort().reverse().slice(0, Math.max(keep, 1)))
  for (const { name } of copies) {
    const stamp = stampOf(name)
    if (stamp !== undefined && !kept.has(stamp)) await tx.query(`DROP TABLE ${quote.identifier(backupSchema)}.${quote.identifier(name)}`)
  }
}

/**
 * Whole backups (`okra db:backup`, and the copy `db:reset` takes): every table of the schema OKRA works in,
 * OKRA's own `_okra_*` tables included, copied with its rows into a schema of its own,
 * `okra_backup_<db>_<timestamp>` (`<db>`: the database name, then `_<schema>` when that is not `public`).
 * Only rows are copied, not indexes or constraints: a restore brings the rows back into tables of the same
 * structure, so it refuses when the tables or their columns differ from the backup's.
 */
const WHOLE_PREFIX = `${BACKUP_SCHEMA}_`
/** Kept out of every copy: a lock row belongs to the process that wrote it. */
const NOT_COPIED = new Set(['_okra_lock'])

/** `shop`, or `shop_tenant_a` for `?schema=tenant_a`: lower case, at most 28 characters, so the backup schema name fits 63. */
export function postgresBackupLabel(connectionString: string, schema: string): string {
  let database = 'postgres'
  try {
    database = decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, '')) || 'postgres'
  } catch {
    // Already reported by target(); the label only names backups.
  }
  return sanitiseLabel(schema === 'public' ? database : `${database}_${schema}`, { lowerCase: true, max: 28 })
}

/** `shop-20240120-143022-123` -> `okra_backup_shop_20240120_143022_123`. */
export function wholeBackupSchema(name: string): string {
  return WHOLE_PREFIX + name.replace(/-/g, '_')
}

function nameOfSchema(schema: string): string | undefined {
  const m = /^(.+)_(\d{8})_(\d{6})_(\d{3})(?:_(\d+))?$/.exec(schema.slice(WHOLE_PREFIX.length))
  if (!schema.startsWith(WHOLE_PREFIX) || !m) return undefined
  return `${m[1]}-${m[2]}-${m[3]}-${m[4]}${m[5] ? `-${m[5]}` : ''}`
}

interface LiveColumn {
  table: string
  column: string
  type: string
  enumType: boolean
}

/** Every table's columns in a schema, in column order, with their type as SQL writes it. */
async function columnsIn(db: Queryable, schema: string): Promise<LiveColumn[]> {
  return db.query<LiveColumn>(
    `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type", (t.typtype = 'e') AS "enumType"
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
    [schema],
  )
}

function byTable(columns: LiveColumn[]): Map<string, LiveColumn[]> {
  const out = new Map<string, LiveColumn[]>()
  for (const c of columns) {
    if (NOT_COPIED.has(c.table)) continue
    out.set(c.table, [...(out.get(c.table) ?? []), c])
  }
  return out
}

async function wholeSchemas(db: Queryable, label: string): Promise<BackupEntry[]> {
  const rows = await db.query<{ schema: string; tables: number | string }>(
    `SELECT n.nspname AS "schema", (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind = 'r') AS "tables"
       FROM pg_namespace n WHERE starts_with(n.nspname, $1)`,
    [`${WHOLE_PREFIX}${label}_`],
  )
  const entries: BackupEntry[] = []
  for (const row of rows) {
    const name = nameOfSchema(row.schema)
    const parsed = name === undefined ? undefined : parseBackupName(name)
    if (!name || parsed?.label !== label) continue
    entries.push({ name, takenAt: parsed.takenAt, location: row.schema, tables: Number(row.tables) })
  }
  return entries.sort(byTime)
}

/** Copies every table of `schema` (the one OKRA works in) into a new backup schema, then drops this database's oldest beyond `keep`. */
export async function backupPostgresWhole(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  label: string,
  schema: string,
  { now = new Date(), keep = DEFAULT_BACKUPS_KEPT }: BackupRequest,
): Promise<SyncBackup> {
  return db.transaction(async (tx) => {
    const existing = new Set((await wholeSchemas(tx, label)).map((e) => e.name))
    const name = backupName(label, now, (n) => existing.has(n))
    const target = wholeBackupSchema(name)
    await tx.query(`CREATE SCHEMA ${quote.identifier(target)}`)
    const tables: string[] = []
    for (const [table, columns] of byTable(await columnsIn(tx, schema))) {
      // Enum values as text: the copy never holds on to a type a sync or reset drops.
      const list = columns.map((c) => (c.enumType ? `${quote.identifier(c.column)}::text AS ${quote.identifier(c.column)}` : quote.identifier(c.column)))
      await tx.query(`CREATE TABLE ${quote.identifier(target)}.${quote.identifier(table)} AS SELECT ${list.join(', ')} FROM ${quote.identifier(schema)}.${quote.identifier(table)}`)
      tables.push(table)
    }
    const all = [...existing, name].sort().map((n) => ({ name: n }))
    for (const old of all.sort(byTime).slice(0, Math.max(0, all.length - keep))) {
      await tx.query(`DROP SCHEMA IF EXISTS ${quote.identifier(wholeBackupSchema(old.name))} CASCADE`)
    }
    return { kind: 'schema', name, schema: target, tables, restoreHint: `restore it with \`okra db:restore ${name}\`` }
  })
}

export function listPostgresBackups(db: Queryable, label: string): Promise<BackupEntry[]> {
  return wholeSchemas(db, label)
}

/**
 * Brings the rows of a whole backup back, in one transaction: every table emptied (TRUNCATE, which fails
 * rather than touch a table outside the backup that references one of them) and filled from the backup,
 * parents before children, identity counters moved past the restored keys. Refused, changing nothing,
 * when the tables or their columns are not the backup's.
 */
export async function restorePostgres(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  schema: string,
  live: DbSchema,
  entry: BackupEntry,
): Promise<void> {
  await db.transaction(async (tx) => {
    const saved = byTable(await columnsIn(tx, entry.location))
    const current = byTable(await columnsIn(tx, schema))
    const differences = structureDifferences(saved, current)
    if (differences.length > 0) {
      throw new OkraError(
        `Cannot restore ${entry.name}: the tables are no longer as they were when it was taken, so nothing was changed:\n${differences.map((d) => `  ${d}`).join('\n')}`,
        'A PostgreSQL backup holds rows, not structure. Bring the tables back to the structure they had (okra migrate:down, or check out that schema and okra db:sync), then restore again.',
      )
    }
    const at = (table: string) => `${quote.identifier(schema)}.${quote.identifier(table)}`
    const tables = insertOrder([...current.keys()], live)
    if (tables.length) await tx.query(`TRUNCATE ${tables.map(at).join(', ')}`)
    // Foreign keys in a cycle (users -> teams -> users): no order fills both sides first. Those pointing at
    // a table filled later are dropped while the rows go in and added again after, which checks every row.
    const later = await foreignKeysToLaterTables(tx, schema, tables, live)
    for (const fk of later) await tx.query(`ALTER TABLE ${at(fk.table)} DROP CONSTRAINT ${quote.identifier(fk.name)}`)
    for (const table of tables) {
      const columns = current.get(table)!
      const names = columns.map((c) => quote.identifier(c.column)).join(', ')
      const values = columns.map((c) => `${quote.identifier(c.column)}::${c.type}`).join(', ')
      await tx.query(`INSERT INTO ${at(table)} (${names}) OVERRIDING SYSTEM VALUE SELECT ${values} FROM ${quote.identifier(entry.location)}.${quote.identifier(table)}`)
      for (const c of columns) {
        const [sequence] = await tx.query<{ name: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS "name"`, [at(table), c.column])
        if (!sequence?.name) continue
        await tx.query(`SELECT setval($1, COALESCE(MAX(${quote.identifier(c.column)}), 0) + 1, false) FROM ${at(table)}`, [sequence.name])
      }
    }
    for (const fk of later) await tx.query(`ALTER TABLE ${at(fk.table)} ADD CONSTRAINT ${quote.identifier(fk.name)} ${fk.definition}`)
  })
}

/** The foreign keys of `tables` (in insert order) that reference a table filled after theirs, with their definitions as the database has them. */
async function foreignKeysToLaterTables(db: Queryable, schema: string, tables: string[], live: DbSchema): Promise<{ table: string; name: string; definition: string }[]> {
  const position = new Map(tables.map((table, i) => [table, i]))
  const later = live.tables.flatMap((t) =>
    t.foreignKeys.filter((fk) => (position.get(fk.refTable) ?? -1) > (position.get(t.name) ?? Number.MAX_SAFE_INTEGER)).map((fk) => ({ table: t.name, name: fk.name })),
  )
  if (later.length === 0) return []
  const rows = await db.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS "table", c.conname AS "name", pg_get_constraintdef(c.oid) AS "definition"
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = $1`,
    [schema],
  )
  return later.flatMap((fk) => rows.filter((r) => r.table === fk.table && r.name === fk.name))
}

function structureDifferences(saved: Map<string, LiveColumn[]>, current: Map<string, LiveColumn[]>): string[] {
  const out: string[] = []
  for (const table of [...new Set([...saved.keys(), ...current.keys()])].sort()) {
    const [was, now] = [saved.get(table), current.get(table)]
    if (!now) out.push(`table ${table} is in the backup but not in the database`)
    else if (!was) out.push(`table ${table} is in the database but not in the backup`)
    else {
      const [a, b] = [was.map((c) => c.column).sort(), now.map((c) => c.column).sort()]
      if (a.join('\0') !== b.join('\0')) out.push(`table ${table}: the backup has columns (${a.join(', ')}), the database (${b.join(', ')})`)
    }
  }
  return out
}

/** Tables referenced by foreign keys first (a table's own rows may reference each other: one INSERT checks them at its end). */
function insertOrder(tables: string[], live: DbSchema): string[] {
  const parents = new Map(live.tables.map((t) => [t.name, t.foreignKeys.map((f) => f.refTable).filter((r) => r !== t.name)]))
  const out: string[] = []
  const visiting = new Set<string>()
  const visit = (table: string) => {
    if (out.includes(table) || visiting.has(table)) return
    visiting.add(table)
    for (const parent of parents.get(table) ?? []) if (tables.includes(parent)) visit(parent)
    out.push(table)
  }
  for (const table of [...tables].sort()) visit(table)
  return out
}
