/**
 * `okra migrate:resolve --applied ID | --rolled-back ID`: records by hand what happened, without running
 * any SQL. `--applied` baselines a database that already has the migration's changes (or records the
 * files as they are now, after an intended edit, or a failed migration finished by hand); `--rolled-back`
 * forgets a migration (a failed one undone by hand, so migrate:up runs it again).
 */
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import { OkraError, UsageError } from '../errors'
import { unknownMigration } from '../migrations/folders'
import { deleteHistoryRow, ensureHistoryTable, readHistory, writeHistoryRow } from '../migrations/history'
import { DEFAULT_LOCK_TIMEOUT_S, withMigrationLock } from '../migrations/lock'
import { type MigrationsOptions, openSession, withDatabase } from '../migrations/session'
import { lockTimeoutMs } from './migrate-up'

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
  return withDatabase(session.config, options, (driver) =>
    withMigrationLock(driver, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_S * 1000, async () => {
      await ensureHistoryTable(driver, driver.provider)
      const row = (await readHistory(driver, driver.provider)).find((r) => r.id === id)
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
    }),
  )
}

const DONE: Record<MigrateResolveResult['before'], string> = {
  none: 'recorded as applied (no SQL was run)',
  failed: 'was failed; now recorded as applied',
  changed: 'recorded as applied with its files as they are now',
  applied: 'was already recorded as applied: nothing to do',
}

export const command: CommandWiring<MigrateResolveResult> = {
  description:
    'Records by hand what happened to a migration, running no SQL: --applied ID for a database that already has it (baselining, or a failed migration finished by hand), --rolled-back ID for one undone by hand (migrate:up will run it again).',
  flags: {
    applied: { type: 'string', value: 'ID', description: 'record the migration as applied' },
    'rolled-back': { type: 'string', value: 'ID', description: 'remove the migration from the record (as never applied)' },
    'lock-timeout': { type: 'number', value: 'S', description: `seconds to wait for another run's lock (default ${DEFAULT_LOCK_TIMEOUT_S})` },
  },
  run: (context, flags) =>
    migrateResolve({
      ...configOptions(context),
      applied: flags.applied as string | undefined,
      rolledBack: flags['rolled-back'] as string | undefined,
      lockTimeoutMs: lockTimeoutMs(flags['lock-timeout']),
    }),
  printText(result, { stdout }) {
    const text = result.action === 'applied' ? DONE[result.before] : 'removed from the record: migrate:up will apply it again'
    stdout.line(`${stdout.paint.cyan('✓')} ${result.id} ${text} (${result.url})`)
  },
  toJSON: (result) => ({ ok: true, ...result }),
}
