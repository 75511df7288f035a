/**
 * `db:reset` from the migration history (the default, as Prisma's `migrate reset`): drop everything OKRA
 * manages, apply every migration as `migrate:up` does (each recorded in `_okra_migrations`), then sync
 * what the schema has that no migration holds yet. The seeds run after it (reset.ts).
 *
 * What is dropped: the tables and enum types of the schema, of what the database was last synced to and
 * of every migration's schema.json (a database left at an older migration may hold a table a later one
 * dropped), OKRA's own tables, and `okra_backup`. A table a hand-written migration.sql created and no
 * schema.json knows is not dropped: replaying that migration then stops on "already exists".
 *
 * Replaying is many transactions, so the SQLite file is copied first; a failure names that backup.
 */
import { rmSync } from 'node:fs'
import type { Driver } from '../dialects/index'
import { folderSchema } from '../migrations/folders'
import { openSession, backupBeforeMigrations, mentionBackup } from '../migrations/session'
import { migrateUp } from '../migrations/up'
import type { Project } from '../project/load'
import { migrationPaths } from '../project/paths'
import type { ResolvedConfig } from '../config/types'
import { readCurrentSchema, sha256, writeCurrentSchema } from '../project/schema-states'
import { canonicalJSON } from '../schema/canonical'
import type { Schema } from '../schema/types'
import { transactionParts } from '../sql/statement'
import type { Terminal } from '../terminal'
import { managedByOkra } from './plan'
import { ensureStateTable, writeDatabaseState } from './record'
import { SYNC_LOCK, sync } from './sync'

export interface ReplayResult {
  dropped: string[]
  /** The migrations applied, in order. */
  migrations: string[]
  /** What the sync after them changed (summary lines): the schema's changes not yet in a migration. */
  synced: string[]
  /** The SQLite copy taken first. */
  backup?: { name: string; path: string }
}

/**
 * The database now is the newest migration's schema: recorded as synced to it, so the sync after the
 * migrations diffs from that state (the fast path) instead of reading the database, where a table OKRA
 * does not manage would look like a model removed.
 */
async function recordAsSynced(driver: Driver, config: ResolvedConfig, schema: Schema): Promise<void> {
  const text = canonicalJSON(schema)
  await driver.transaction(async (tx) => {
    await ensureStateTable(tx)
    await writeDatabaseState(tx, { schemaHash: sha256(text), syncedAt: new Date().toISOString(), structure: await driver.fingerprint(tx) })
  })
  writeCurrentSchema(config, schema, text)
}

/** Only called with at least one migration folder (without any, a reset creates the tables from the schema). */
export async function replayHistory(project: Project & { schema: Schema }, driver: Driver, terminal?: Terminal): Promise<ReplayResult> {
  const { config } = project
  const session = await openSession({ loadedConfig: config })
  const states = [project.schema, readCurrentSchema(config), ...session.folders.map(folderSchema)]
  const { tables, enums } = await managedByOkra(driver, states)
  const backup = (await backupBeforeMigrations(driver, config)) ?? undefined
  // From the drop to the last sync no sync runs in between (a dev server's auto-sync would build the tables
  // from the schema before the migrations could): PostgreSQL holds the sync lock throughout; SQLite's syncs
  // re-check the database when they write, and see the reset.
  const holding = driver.dialect.syncIsolation === 'one-transaction'
  const release = holding ? await driver.lock(SYNC_LOCK, { timeoutMs: 30_000 }) : undefined
  try {
    const { before, inside, after } = transactionParts(driver.dialect.resetStatements({ tables, enums }, []))
    try {
      for (const statement of before) await driver.query(statement.sql)
      await driver.transaction(
        async (tx) => {
          for (const statement of inside) await tx.query(statement.sql)
        },
        holding ? { holding: SYNC_LOCK } : undefined,
      )
    } finally {
      for (const statement of after) await driver.query(statement.sql)
    }
    rmSync(migrationPaths(config).currentSchema, { force: true })
    const up = await migrateUp({ loadedConfig: config, driver, backup: false, ...(terminal ? { terminal } : {}) })
    await recordAsSynced(driver, config, folderSchema(session.folders[session.folders.length - 1]!))
    const synced = await sync({ project, driver, acceptDataLoss: true, holdingSyncLock: holding })
    return { dropped: tables, migrations: up.applied.map((m) => m.id), synced: synced.summaries, ...(backup ? { backup } : {}) }
  } catch (error) {
    throw mentionBackup(error, backup ?? null, config.root)
  } finally {
    await release?.()
  }
}
