/**
 * SQLite backups: the whole database copied with `VACUUM INTO` (a consistent copy, also of a WAL database
 * with writers) into `.okra/backups/<timestamp>.db`; only the newest 5 are kept. `VACUUM INTO` cannot run
 * inside a transaction, so a sync takes the copy before its write transaction.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { displayPath } from '../../fs'
import { backupStamp } from '../backup-names'
import type { BackupRequest, SyncBackup } from '../dialect'
import type { Queryable } from '../driver'

export const SQLITE_BACKUP_DIR = '.okra/backups'
export const SQLITE_BACKUPS_KEPT = 5

/** Copies the database behind `db` (the file `databaseFile`, or `:memory:`, named in the hint) and prunes old copies. */
export async function backupSqlite(db: Queryable, databaseFile: string, { root, now = new Date() }: BackupRequest): Promise<SyncBackup> {
  const dir = join(root, SQLITE_BACKUP_DIR)
  mkdirSync(dir, { recursive: true })
  const stamp = backupStamp(now)
  let path = join(dir, `${stamp}.db`)
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stamp}-${n}.db`)
  await db.query(`VACUUM INTO '${path.replace(/'/g, "''")}'`)
  pruneSqliteBackups(dir)
  const shown = displayPath(root, path)
  const target = databaseFile === ':memory:' ? 'the database' : displayPath(root, databaseFile)
  return {
    kind: 'file',
    path,
    restoreHint: `to restore, stop the dev server and copy ${shown} over ${target} (delete ${target}-wal and ${target}-shm if present)`,
  }
}

function pruneSqliteBackups(dir: string): void {
  const copies = readdirSync(dir)
    .filter((name) => /^\d{8}-\d{6}-\d{3}(-\d+)?\.db$/.test(name))
    .sort()
  for (const name of copies.slice(0, Math.max(0, copies.length - SQLITE_BACKUPS_KEPT))) rmSync(join(dir, name), { force: true })
}
