/**
 * Sync's record in the database: the table `_okra_state` (key/value: `schema_hash`, `synced_at`,
 * `structure`), written in the same transaction as the changes. It says which schema the database was
 * last synced to, and its structure fingerprint right after (src/dialects/driver.ts): while both still
 * hold, `migrations/current/schema.json` describes the database and sync needs no introspection.
 */
import type { Driver, Queryable } from '../dialects/index'

/** The bookkeeping table in the database. Its name starts with `_okra_`, so introspection never lists it. */
export const STATE_TABLE = '_okra_state'

/** What `_okra_state` says. */
export interface DatabaseState {
  schemaHash: string
  syncedAt: string
  /** The database's structure fingerprint right after that sync (Driver.fingerprint); absent when not recorded. */
  structure?: string
  /** What OKRA itself changed since that sync, outside a sync (`migrate:up applied 20240120_143022_x`). */
  changedBy?: string
}

/** The database's `_okra_state`, or null when the table or its hash is missing (never synced, or reset). */
export async function readDatabaseState(driver: Driver, db: Queryable = driver): Promise<DatabaseState | null> {
  if (!(await driver.tableExists(STATE_TABLE, db))) return null
  const rows = await db.query<{ key: string; value: string }>(`SELECT "key", "value" FROM "${STATE_TABLE}"`)
  const get = (key: string) => rows.find((r) => r.key === key)?.value
  const schemaHash = get('schema_hash')
  if (schemaHash === undefined) return null
  const structure = get('structure')
  const changedBy = get('changed_by')
  return { schemaHash, syncedAt: get('synced_at') ?? '', ...(structure === undefined ? {} : { structure }), ...(changedBy === undefined ? {} : { changedBy }) }
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
  await tx.query(`DELETE FROM "${STATE_TABLE}" WHERE "key" = 'changed_by'`)
}

/** The sync record as it stands, and whether it still describes the database (nobody changed it since). */
export interface SyncRecord {
  state: DatabaseState | null
  trusted: boolean
}

export async function readSyncRecord(driver: Driver): Promise<SyncRecord> {
  const state = await readDatabaseState(driver)
  return { state, trusted: state !== null && state.structure === (await driver.fingerprint()) }
}

/**
 * After OKRA wrote to a synced database outside a sync (`migrate:up`, `migrate:resolve`, a snapshot marking
 * its migration applied): its own writes never count as "changed outside OKRA". Bookkeeping only
 * (`_okra_migrations` created, a row written): the record takes the new fingerprint, so the next sync still
 * trusts `migrations/current/schema.json`. Structure changed (`changedBy` says by what): the next sync must
 * read the database, and says why. A record that no longer held before the write is left as it is.
 */
export async function noteOwnWrite(driver: Driver, before: SyncRecord, changedBy?: string): Promise<void> {
  if (!before.trusted || !before.state) return
  const structure = await driver.fingerprint()
  if (structure === before.state.structure) return
  if (changedBy !== undefined) {
    await driver.query(`INSERT INTO "${STATE_TABLE}" ("key", "value") VALUES ('changed_by', $1) ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"`, [changedBy])
    return
  }
  await driver.query(`UPDATE "${STATE_TABLE}" SET "value" = $1 WHERE "key" = 'structure'`, [structure])
}
