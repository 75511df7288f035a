/**
 * SQLite backups: the whole database copied page by page through SQLite's online backup API into
 * `.okra/backups/<db>-<timestamp>.db`, `<db>` being the file's base name, so every database file keeps its
 * own newest `keep`. The pages are copied in one step, inside one read transaction: a consistent copy, also
 * of a WAL database with writers (who are not blocked), and ten times faster than `VACUUM INTO`, which
 * rebuilds every table and index (300 ms against 31 ms for 1,000 tables). The copy is written under a
 * temporary name and renamed, so a backup is never half a file. A sync takes it before its write
 * transaction. A restore copies a backup back the same way, taking the database's locks like any writer (a
 * dev server's connection sees the restored data; it never reads a half-copied file).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { backupName, byTime, parseBackupName, sanitiseLabel } from '../backup-names'
import { type BackupEntry, type BackupRequest, DEFAULT_BACKUPS_KEPT, type SyncBackup } from '../dialect'
import type BetterSqlite3 from 'better-sqlite3'
import { openBetterSqlite } from './better-sqlite3'

export const SQLITE_BACKUP_DIR = '.okra/backups'

/** `dev` for `dev.db`; `memory` for `:memory:`. */
export function sqliteBackupLabel(file: string): string {
  if (file === ':memory:') return 'memory'
  return sanitiseLabel(basename(file, extname(file)))
}

/** Every page in the next step: one step, so one read transaction, so one consistent state of the database. */
const ALL_PAGES = () => 0x7fffffff

/** Copies the database behind `db` (the file `databaseFile`, or `:memory:`) and prunes this database's old copies. */
export async function backupSqlite(db: BetterSqlite3.Database, databaseFile: string, { root, now = new Date(), keep = DEFAULT_BACKUPS_KEPT }: BackupRequest): Promise<SyncBackup> {
  const dir = join(root, SQLITE_BACKUP_DIR)
  mkdirSync(dir, { recursive: true })
  const label = sqliteBackupLabel(databaseFile)
  const name = backupName(label, now, (n) => existsSync(join(dir, `${n}.db`)))
  const path = join(dir, `${name}.db`)
  const partial = `${path}.${process.pid}.partial`
  try {
    await db.backup(partial, { progress: ALL_PAGES })
    renameSync(partial, path)
  } finally {
    rmSync(partial, { force: true })
  }
  pruneSqliteBackups(dir, label, keep)
  return { kind: 'file', name, path, restoreHint: `restore it with \`okra db:restore ${name}\`` }
}

/** This database's copies in `<root>/.okra/backups/`, oldest first. */
export function listSqliteBackups(root: string, databaseFile: string): BackupEntry[] {
  return copiesIn(join(root, SQLITE_BACKUP_DIR), sqliteBackupLabel(databaseFile))
}

function copiesIn(dir: string, label: string): BackupEntry[] {
  let files: string[]
  try {
    files = readdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const entries: BackupEntry[] = []
  for (const file of files) {
    if (!file.endsWith('.db')) continue
    const name = file.slice(0, -3)
    const parsed = parseBackupName(name)
    if (parsed?.label !== label) continue
    const location = join(dir, file)
    entries.push({ name, takenAt: parsed.takenAt, location, bytes: statSync(location).size })
  }
  return entries.sort(byTime)
}

function pruneSqliteBackups(dir: string, label: string, keep: number): void {
  const copies = copiesIn(dir, label)
  for (const old of copies.slice(0, Math.max(0, copies.length - keep))) rmSync(old.location, { force: true })
}

/** Copies `entry` over the database file, page by page under SQLite's own locks. */
export async function restoreSqlite(databaseFile: string, entry: BackupEntry): Promise<void> {
  const source = openBetterSqlite(entry.location, { readonly: true, fileMustExist: true })
  try {
    await source.backup(databaseFile, { progress: ALL_PAGES })
  } finally {
    source.close()
  }
}
