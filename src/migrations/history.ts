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
import type { Driver, Queryable } from '../dialects/index'

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

/** Inserts or replaces the row of `row.id`. */
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
