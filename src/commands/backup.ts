/**
 * `okra db:backup`: a whole backup of the configured database now, named `<db>-<timestamp>`;
 * `--list`: this database's backups, newest first (src/backups/backups.ts).
 */
import type { CommandWiring } from './types'
import { type ListBackupsResult, type ShownBackup, type TakeBackupResult, listBackups, takeBackup } from '../backups/backups'
import { configOptions } from '../config/load'

type Result = ({ listed: false } & TakeBackupResult) | ({ listed: true } & ListBackupsResult)

export const command: CommandWiring<Result> = {
  description:
    'Takes a backup of the database now, named <db>-<timestamp> (SQLite: a copy of the file in .okra/backups/; PostgreSQL: the rows of every table where OKRA works, in a schema okra_backup_<db>_<timestamp>). Each database keeps its newest backups.keep (default 5). --list shows this database\'s backups, newest first; okra db:restore brings one back.',
  flags: {
    list: { type: 'boolean', description: 'list this database\'s backups instead of taking one' },
  },
  run: async (context, flags) =>
    flags.list === true ? { listed: true, ...(await listBackups(configOptions(context))) } : { listed: false, ...(await takeBackup(configOptions(context))) },
  printText(result, { stdout }) {
    if (!result.listed) {
      stdout.line(`${stdout.paint.cyan('✓')} Backup ${result.backup.name} of ${result.url}: ${where(result.backup)} in ${Math.round(result.durationMs)} ms`)
      stdout.line(stdout.paint.dim(`Restore it with: okra db:restore ${result.backup.name}`))
      return
    }
    if (result.backups.length === 0) {
      stdout.line(`No backups of ${result.url} yet (okra db:backup takes one)`)
      return
    }
    stdout.line(`Backups of ${result.url}, newest first (the newest ${result.keep} are kept):`)
    const width = Math.max(...result.backups.map((b) => b.name.length))
    for (const backup of result.backups) stdout.line(`  ${backup.name.padEnd(width)}  ${backup.takenAt}  ${where(backup)}`)
  },
  toJSON: (result) => (result.listed ? { ok: true, url: result.url, keep: result.keep, backups: result.backups } : { ok: true, url: result.url, backup: result.backup, durationMs: Math.round(result.durationMs * 10) / 10 }),
}

function where(backup: ShownBackup): string {
  if (backup.bytes !== undefined) return `${backup.location} (${size(backup.bytes)})`
  return `schema ${backup.location} (${backup.tables} table${backup.tables === 1 ? '' : 's'})`
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
