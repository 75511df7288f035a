/**
 * OKRA's bookkeeping of where the development database stands (SPEC section 6):
 *
 * - `migrations/snapshot/schema.json`: the last committed schema (written by `db:migrate:snapshot`);
 * - `migrations/current/schema.json`: the schema the dev database was last synced to (git-ignored,
 *   canonical JSON, written atomically by `db:sync`);
 * - `migrations/current/renames.json`: every rename sync applied since the last snapshot, in physical
 *   names, so the snapshot's migration renames too even after the `@renamed` hint is gone;
 * - the table `_okra_state` in the database (key/value: `schema_hash`, `synced_at`), written in the
 *   same transaction as the changes. When its hash is the hash of `current/schema.json`, that file
 *   describes the database exactly and sync needs no introspection.
 *
 * `changesSinceSnapshot` is what `db:diff` and the plugin's production drift gate compare.
 */
import { createHash } from 'node:crypto'
import type { ResolvedConfig } from '../config/types'
import type { Change, DiffWarning, RenameResolver } from '../diff/index'
import { diff, summaries } from '../diff/index'
import type { Queryable } from '../drivers/types'
import { OkraError, SchemaError } from '../errors'
import { displayPath, readTextIfExists, writeFileAtomic } from '../fs'
import type { Project } from '../project'
import { canonicalJSON, parseSchemaJSON } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { labelRenames } from '../sync/labels'
import { migrationPaths } from './paths'

/** The bookkeeping table in the database. Its name starts with `_okra_`, so introspection never lists it. */
export const STATE_TABLE = '_okra_state'

export { type MigrationPaths, migrationPaths } from './paths'

const shown = (config: ResolvedConfig, path: string) => displayPath(config.root, path)

/** `migrations/snapshot/schema.json`, or null when there is no snapshot yet. A file that is not a schema throws an OkraError. */
export function readSnapshotSchema(config: ResolvedConfig): Schema | null {
  const path = migrationPaths(config).snapshotSchema
  const text = readTextIfExists(path)
  return text === undefined ? null : parseSchemaJSON(text, shown(config, path))
}

/**
 * `migrations/current/schema.json`, or null when it is missing. A damaged file also reads as null: the
 * folder is local state that sync can always rebuild by introspecting the database.
 */
export function readCurrentSchema(config: ResolvedConfig): Schema | null {
  const path = migrationPaths(config).currentSchema
  const text = readTextIfExists(path)
  if (text === undefined) return null
  try {
    return parseSchemaJSON(text, shown(config, path))
  } catch (error) {
    if (error instanceof OkraError) return null
    throw error
  }
}

/** Writes `migrations/current/schema.json` (canonical JSON, atomically); `text` when its canonical JSON is already at hand. */
export function writeCurrentSchema(config: ResolvedConfig, schema: Schema, text = canonicalJSON(schema)): void {
  writeFileAtomic(migrationPaths(config).currentSchema, text)
}

/**
 * The text of `migrations/current/schema.json` and its sha256, or undefined when it is missing. Sync
 * wrote it as canonical JSON, so the hash of the text IS the schema hash: when it matches the hash
 * `_okra_state` records, the file is what the database was synced to, without parsing or validating it.
 */
export function readCurrentSchemaText(config: ResolvedConfig): { text: string; hash: string } | undefined {
  const text = readTextIfExists(migrationPaths(config).currentSchema)
  return text === undefined ? undefined : { text, hash: sha256(text) }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** One rename sync applied, in physical names. A column's `table` is the table's name when the rename ran. */
export type SyncedRename = { kind: 'table'; from: string; to: string } | { kind: 'column'; table: string; from: string; to: string }

/** `migrations/current/renames.json` in order; empty when the file is missing. */
export function readSyncedRenames(config: ResolvedConfig): SyncedRename[] {
  const path = migrationPaths(config).currentRenames
  const text = readTextIfExists(path)
  if (text === undefined) return []
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw damagedRenames(config, path, (cause as Error).message)
  }
  const renames = (value as { renames?: unknown } | null)?.renames
  if (!Array.isArray(renames) || !renames.every(isSyncedRename)) throw damagedRenames(config, path, 'expected { "renames": [{ "kind", "from", "to", ... }] }')
  return renames
}

function isSyncedRename(value: unknown): value is SyncedRename {
  const r = value as Record<string, unknown> | null
  if (r === null || typeof r !== 'object' || typeof r.from !== 'string' || typeof r.to !== 'string') return false
  return r.kind === 'table' || (r.kind === 'column' && typeof r.table === 'string')
}

function damagedRenames(config: ResolvedConfig, path: string, problem: string): OkraError {
  return new OkraError(
    `${shown(config, path)} is damaged: ${problem}`,
    'Delete the file (renames applied by db:sync since the last snapshot will then be snapshotted as drop + add unless their @renamed hints are still there), or restore it.',
  )
}

/** Appends to `migrations/current/renames.json` (atomically); nothing to append writes nothing. */
export function appendSyncedRenames(config: ResolvedConfig, renames: readonly SyncedRename[]): void {
  if (renames.length === 0) return
  writeSyncedRenames(config, [...readSyncedRenames(config), ...renames])
}

/** Replaces `migrations/current/renames.json` (the snapshot clears it once its migration holds the renames). */
export function writeSyncedRenames(config: ResolvedConfig, renames: readonly SyncedRename[]): void {
  writeFileAtomic(migrationPaths(config).currentRenames, renamesText(renames))
}

/** `{ "renames": [...] }` with one rename per line, so a diff of the file reads well (current/ and migration folders). */
export function renamesText(renames: readonly SyncedRename[]): string {
  const lines = renames.map((r) => '    ' + JSON.stringify(r.kind === 'table' ? { kind: r.kind, from: r.from, to: r.to } : { kind: r.kind, table: r.table, from: r.from, to: r.to }))
  return `{\n  "renames": [${lines.length ? '\n' + lines.join(',\n') + '\n  ' : ''}]\n}\n`
}

/** The renames of a change list (what sync records after applying it). */
export function renamesOf(changes: readonly Change[]): SyncedRename[] {
  const out: SyncedRename[] = []
  for (const c of changes) {
    if (c.kind === 'renameTable') out.push({ kind: 'table', from: c.from, to: c.to })
    else if (c.kind === 'renameColumn') out.push({ kind: 'column', table: c.table, from: c.from, to: c.to })
  }
  return out
}

export interface ComposedRenames {
  /** Original table name -> final name (renames that came back to their start are left out). */
  tables: Map<string, string>
  /** `<final table>\0<original column>` -> final column name. */
  columns: Map<string, string>
}

/** The net effect of renames applied one after another: `a->b` then `b->c` is `a->c`. */
export function composeRenames(renames: readonly SyncedRename[]): ComposedRenames {
  const tableNow = new Map<string, string>() // original -> current
  const columnNow = new Map<string, { table: string; original: string; name: string }>() // key by current table + current name
  const key = (table: string, column: string) => `${table}\0${column}`
  for (const r of renames) {
    if (r.kind === 'table') {
      const original = [...tableNow].find(([, now]) => now === r.from)?.[0] ?? r.from
      tableNow.set(original, r.to)
      for (const [k, c] of [...columnNow]) {
        if (c.table !== r.from) continue
        columnNow.delete(k)
        columnNow.set(key(r.to, c.name), { ...c, table: r.to })
      }
    } else {
      const existing = columnNow.get(key(r.table, r.from))
      columnNow.delete(key(r.table, r.from))
      columnNow.set(key(r.table, r.to), { table: r.table, original: existing?.original ?? r.from, name: r.to })
    }
  }
  const tables = new Map([...tableNow].filter(([original, now]) => original !== now))
  const columns = new Map(
    [...columnNow.values()].filter((c) => c.original !== c.name).map((c) => [key(c.table, c.original), c.name] as const),
  )
  return { tables, columns }
}

/**
 * A rename resolver answering `rename` for the net renames of `renames` and asking `fallback` (or
 * answering drop + add) for anything else.
 */
export function renamesResolver(renames: readonly SyncedRename[], fallback?: RenameResolver): RenameResolver {
  const { tables, columns } = composeRenames(renames)
  return (candidate) => {
    const known = candidate.kind === 'table' ? tables.get(candidate.from) : columns.get(`${candidate.table}\0${candidate.from}`)
    if (known === candidate.to) return 'rename'
    return fallback ? fallback(candidate) : 'drop-add'
  }
}

export interface SnapshotChanges {
  /** The snapshot's schema, or null when there is none (then every model is new). */
  snapshot: Schema | null
  /** From toPhysical(snapshot) to toPhysical(schema), for the configured provider. */
  changes: Change[]
  /** One line per change (`+ Added field 'phone' to User`). */
  summaries: string[]
  /** Stale or conflicting rename hints. */
  warnings: DiffWarning[]
  /** The two sides compared (render SQL with `renderChanges(changes, to, from)`). */
  from: DbSchema
  to: DbSchema
}

/**
 * What changed since `migrations/snapshot/schema.json`: the diff for the configured provider, with
 * renames from the `@renamed` hints and from `current/renames.json`. Reads files, opens no database.
 * Throws a SchemaError when the project's schema has errors.
 */
export async function changesSinceSnapshot(
  project: Project,
  /** `snapshot`: the snapshot's schema when the caller has already read it. */
  options: { provider?: Provider; renames?: RenameResolver; snapshot?: Schema | null } = {},
): Promise<SnapshotChanges> {
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const provider = options.provider ?? project.config.database.provider
  const snapshot = options.snapshot !== undefined ? options.snapshot : readSnapshotSchema(project.config)
  const from: DbSchema = snapshot ? toPhysical(snapshot, provider) : { provider, tables: [], enums: [] }
  const to = toPhysical(project.schema, provider)
  const renames = labelRenames(from, to, renamesResolver(readSyncedRenames(project.config), options.renames))
  const result = await diff(from, to, { renames, spentHints: snapshot !== null })
  return { snapshot, changes: result.changes, summaries: summaries(result.changes), warnings: result.warnings, from, to }
}

/** What `_okra_state` says. */
export interface DatabaseState {
  schemaHash: string
  syncedAt: string
  /** The database's structure fingerprint right after that sync (see src/sync/fingerprint.ts); absent when not recorded. */
  structure?: string
}

/** The database's `_okra_state`, or null when the table or its hash is missing (never synced, or reset). */
export async function readDatabaseState(db: Queryable, provider: Provider): Promise<DatabaseState | null> {
  const exists =
    provider === 'sqlite'
      ? await db.query(`SELECT 1 AS "found" FROM sqlite_master WHERE type = 'table' AND name = '${STATE_TABLE}'`)
      : await db.query(`SELECT 1 AS "found" WHERE to_regclass('"${STATE_TABLE}"') IS NOT NULL`)
  if (exists.length === 0) return null
  const rows = await db.query<{ key: string; value: string }>(`SELECT "key", "value" FROM "${STATE_TABLE}"`)
  const get = (key: string) => rows.find((r) => r.key === key)?.value
  const schemaHash = get('schema_hash')
  if (schemaHash === undefined) return null
  const structure = get('structure')
  return { schemaHash, syncedAt: get('synced_at') ?? '', ...(structure === undefined ? {} : { structure }) }
}

/** Creates `_okra_state` when missing. Run it inside the sync's transaction, before taking the structure fingerprint that is recorded. */
export async function ensureStateTable(tx: Queryable): Promise<void> {
  await tx.query(`CREATE TABLE IF NOT EXISTS "${STATE_TABLE}" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)`)
}

/** Records what the database was synced to; run it inside the transaction that applies the changes, after `ensureStateTable`. */
export async function writeDatabaseState(tx: Queryable, state: DatabaseState): Promise<void> {
  const entries: string[] = ['schema_hash', state.schemaHash, 'synced_at', state.syncedAt]
  if (state.structure !== undefined) entries.push('structure', state.structure)
  const rows = Array.from({ length: entries.length / 2 }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`)
  await tx.query(`INSERT INTO "${STATE_TABLE}" ("key", "value") VALUES ${rows.join(', ')} ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"`, entries)
}
