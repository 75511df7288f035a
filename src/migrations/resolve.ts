/**
 * `migrateResolve()`: records by hand what happened to a migration, without running any SQL. `applied`
 * baselines a database that already has the migration's changes (or records the files as they are now,
 * after an intended edit, or a failed migration finished by hand); `rolledBack` forgets a migration (a
 * failed one undone by hand, so migrate:up runs it again).
 */
import { OkraError, UsageError } from '../errors'
import type { Driver } from '../dialects/index'
import { noteOwnWrite, readSyncRecord } from '../sync/record'
import { type MigrationFolder, unknownMigration } from './folders'
import { deleteHistoryRow, ensureHistoryTable, readHistory, writeHistoryRow } from './history'
import { DEFAULT_LOCK_TIMEOUT_S, withMigrationLock } from './lock'
import { type MigrationsOptions, openSession, withDatabase } from './session'

export interface MigrateResolveOptions extends MigrationsOptions {
  /** Record this migration as applied. */
  applied?: string
  /** Forget this migration (as never applied). */
  rolledBack?: string
  lockTimeoutMs?: number
}

export interface MigrateResolveResult {
  url: string
  id: string
  action: 'applied' | 'rolled-back'
  /** What the row said before: none, applied, failed, or applied with other files. */
  before: 'none' | 'applied' | 'failed' | 'changed'
  /** False when the record already said so (nothing written). */
  changed: boolean
}

export async function migrateResolve(options: MigrateResolveOptions): Promise<MigrateResolveResult> {
  if ((options.applied === undefined) === (options.rolledBack === undefined)) {
    throw new UsageError('Give exactly one of --applied ID or --rolled-back ID', 'See `okra migrate:resolve --help`.')
  }
  const action = options.applied !== undefined ? 'applied' : 'rolled-back'
  const id = (options.applied ?? options.rolledBack)!
  const session = await openSession(options)
  const folder = session.folders.find((f) => f.id === id)
  if (!folder && action === 'applied') throw unknownMigration(id, session.folders, session.dirShown)
  return withDatabase(session.config, options, async (driver) => {
    // Only OKRA's bookkeeping changes: the next sync still trusts what it recorded.
    const record = await readSyncRecord(driver)
    try {
      return await resolveLocked(driver, options, id, action, folder)
    } finally {
      await noteOwnWrite(driver, record)
    }
  })
}

function resolveLocked(
  driver: Driver,
  options: MigrateResolveOptions,
  id: string,
  action: MigrateResolveResult['action'],
  folder: MigrationFolder | undefined,
): Promise<MigrateResolveResult> {
  return withMigrationLock(driver, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_S * 1000, async () => {
    await ensureHistoryTable(driver)
    const row = (await readHistory(driver)).find((r) => r.id === id)
    const before = !row ? 'none' : row.status === 'failed' ? 'failed' : folder && row.checksum !== folder.checksum ? 'changed' : 'applied'
    const result = { url: driver.displayUrl, id, action, before } as const
    if (action === 'rolled-back') {
      if (!row) {
        throw new OkraError(
          `Migration ${id} is not recorded in _okra_migrations of ${driver.displayUrl}: there is nothing to mark as rolled back`,
          'Run `okra migrate:status` to see what is recorded.',
        )
      }
      await deleteHistoryRow(driver, id)
      return { ...result, changed: true }
    }
    if (before === 'applied') return { ...result, changed: false }
    await writeHistoryRow(driver, {
      id,
      checksum: folder!.checksum,
      appliedAt: new Date().toISOString(),
      executionMs: row?.executionMs ?? 0,
      status: 'applied',
      files: folder!.files,
    })
    return { ...result, changed: true }
  })
}
