/**
 * `_okra_migrations`: one row per migration applied to this database (or failed there). Created on first
 * use, under the migration lock (two processes creating it at once would collide on PostgreSQL).
 *
 *   id            the folder name
 *   checksum      sha256 of the folder's files when it was applied (see checksum.ts)
 *   applied_at    when it finished (or, for a failed row, when it started)
 *   execution_ms  how long it ran
 *   status        'applied', or 'failed': a migration run outside a transaction that did not finish, which
 *                 blocks further runs until `migrate:resolve` says what happened
 *   files         each file's own checksum (JSON), to name the file that changed afterwards
 */
import { type Driver, DriverError, type Queryable } from '../dialects/index'
import { OkraError } from '../errors'

export const HISTORY_TABLE = '_okra_migrations'

export type MigrationStatus = 'applied' | 'failed'

export interface HistoryRow {
  id: string
  checksum: string
  /** ISO-8601. */
  appliedAt: string
  executionMs: number
  status: MigrationStatus
  /** Per-file checksums at apply time; null when unknown. */
  files: Record<string, string> | null
}

function createTableSql(driver: Driver): string {
  const time = driver.dialect.timeType
  return (
    `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" (` +
    `"id" TEXT NOT NULL PRIMARY KEY, ` +
    `"checksum" TEXT NOT NULL, ` +
    `"applied_at" ${time} NOT NULL, ` +
    `"execution_ms" INTEGER NOT NULL, ` +
    `"status" TEXT NOT NULL DEFAULT 'applied' CHECK ("status" IN ('applied', 'failed')), ` +
    `"files" TEXT)`
  )
}

export async function ensureHistoryTable(driver: Driver): Promise<void> {
  if (!(await driver.tableExists(HISTORY_TABLE))) await driver.query(createTableSql(driver))
}

interface RawRow {
  id: string
  checksum: string
  applied_at: string | Date
  execution_ms: number | string
  status: string
  files: string | null
}

/** Every row, in the order the migrations were applied; none when the table does not exist yet. */
export async function readHistory(driver: Driver): Promise<HistoryRow[]> {
  if (!(await driver.tableExists(HISTORY_TABLE))) return []
  const rows = await driver.query<RawRow>(
    `SELECT "id", "checksum", "applied_at", "execution_ms", "status", "files" FROM "${HISTORY_TABLE}" ORDER BY "applied_at", "id"`,
  )
  return rows.map((row) => ({
    id: row.id,
    checksum: row.checksum,
    appliedAt: row.applied_at instanceof Date ? row.applied_at.toISOString() : String(row.applied_at),
    executionMs: Number(row.execution_ms),
    status: row.status === 'failed' ? 'failed' : 'applied',
    files: parseFiles(row.files),
  }))
}

function parseFiles(text: string | null): Record<string, string> | null {
  if (!text) return null
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : null
  } catch {
    return null
  }
}

/** A second application of one migration, caught by the ledger's key: the transaction that hit it rolls back. */
export class AlreadyRecordedError extends OkraError {
  override name = 'AlreadyRecordedError'
  constructor(readonly id: string, action: 'applied' | 'reverted') {
    super(
      action === 'applied'
        ? `Migration ${id} is already recorded in ${HISTORY_TABLE}: another process applied it while this one was applying it too, so this application was rolled back (the migration ran once)`
        : `Migration ${id} is no longer recorded in ${HISTORY_TABLE}: another process reverted it while this one was reverting it too, so this revert was rolled back`,
      'Two runs overlapped, so one of them no longer held the migration lock (look at idle_session_timeout or a connection pooler). Check with `okra migrate:status`, then run the command again if something is left to do.',
    )
  }
}

const duplicateKey = (error: unknown) => error instanceof DriverError && (error.code === '23505' || error.code?.startsWith('SQLITE_CONSTRAINT') === true)

const values = (row: HistoryRow) => [row.id, row.checksum, row.appliedAt, row.executionMs, row.status, row.files ? JSON.stringify(row.files) : null]

/**
 * Records a migration: a plain INSERT under the primary key, never an upsert, so that a migration applied
 * a second time (by a run that lost its lock) fails here and its transaction rolls back.
 */
export async function insertHistoryRow(tx: Queryable, row: HistoryRow): Promise<void> {
  try {
    await tx.query(`INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "applied_at", "execution_ms", "status", "files") VALUES ($1, $2, $3, $4, $5, $6)`, values(row))
  } catch (error) {
    throw duplicateKey(error) ? new AlreadyRecordedError(row.id, 'applied') : error
  }
}

/** A migration run outside a transaction finished: its `failed` row (written by this run before it started) becomes `applied`. */
export async function markApplied(tx: Queryable, row: HistoryRow): Promise<void> {
  const updated = await tx.query(
    `UPDATE "${HISTORY_TABLE}" SET "checksum" = $2, "applied_at" = $3, "execution_ms" = $4, "status" = 'applied', "files" = $5 WHERE "id" = $1 AND "status" = 'failed' RETURNING "id"`,
    [row.id, row.checksum, row.appliedAt, row.executionMs, row.files ? JSON.stringify(row.files) : null],
  )
  if (updated.length === 0) throw new AlreadyRecordedError(row.id, 'applied')
}

/** Removes a reverted migration's row; none there means another run reverted it meanwhile (the transaction rolls back). */
export async function removeHistoryRow(tx: Queryable, id: string): Promise<void> {
  const removed = await tx.query(`DELETE FROM "${HISTORY_TABLE}" WHERE "id" = $1 RETURNING "id"`, [id])
  if (removed.length === 0) throw new AlreadyRecordedError(id, 'reverted')
}

/** Inserts or replaces the row of `row.id` (`migrate:resolve`, which overrides what is recorded). */
export async function writeHistoryRow(tx: Queryable, row: HistoryRow): Promise<void> {
  await tx.query(
    `INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "applied_at", "execution_ms", "status", "files") VALUES ($1, $2, $3, $4, $5, $6) ` +
      `ON CONFLICT ("id") DO UPDATE SET "checksum" = excluded."checksum", "applied_at" = excluded."applied_at", ` +
      `"execution_ms" = excluded."execution_ms", "status" = excluded."status", "files" = excluded."files"`,
    [row.id, row.checksum, row.appliedAt, row.executionMs, row.status, row.files ? JSON.stringify(row.files) : null],
  )
}

export async function deleteHistoryRow(tx: Queryable, id: string): Promise<void> {
  await tx.query(`DELETE FROM "${HISTORY_TABLE}" WHERE "id" = $1`, [id])
}
