/**
 * `okra db:backup` / `db:restore`: whole backups of the configured database, named `<db>-<timestamp>` and
 * kept per database (`backups.keep`, the newest). SQLite: a copy of the file in `.okra/backups/`;
 * PostgreSQL: the rows of every table where OKRA works, in a schema `okra_backup_<db>_<timestamp>` (a
 * restore needs the tables to have the structure they had: it brings rows back, not structure).
 * A restore first takes a backup of the database as it is, so it can itself be undone.
 */
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import { type BackupEntry, DEFAULT_BACKUPS_KEPT, type Driver, type SyncBackup, databaseTarget, dialectOf, openDriver } from '../dialects/index'
import { OkraError } from '../errors'
import { displayPath } from '../fs'
import type { Provider } from '../schema/physical-types'
import { askOrForce } from '../consent'

export interface BackupOptions extends LoadConfigOptions {
  loadedConfig?: ResolvedConfig
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
}

export interface ShownBackup {
  name: string
  /** ISO time. */
  takenAt: string
  /** The file relative to the root, or the PostgreSQL schema. */
  location: string
  bytes?: number
  tables?: number
}

export interface TakeBackupResult {
  url: string
  provider: Provider
  backup: ShownBackup
  durationMs: number
}

export interface ListBackupsResult {
  url: string
  provider: Provider
  /** Newest first. */
  backups: ShownBackup[]
  keep: number
}

export interface RestoreOptions extends BackupOptions {
  /** The backup (`dev-20240120-143022-123`); default the newest of this database. */
  name?: string
  /** Skip the question, and allow a restore in the `production` environment. */
  force?: boolean
  /** Asked when not forced; absent, or throwing (no terminal): the restore needs `force`. */
  confirm?: (question: string) => Promise<boolean>
}

export interface RestoreResult {
  url: string
  provider: Provider
  restored: ShownBackup
  /** The backup of the database as it was just before, so the restore can be undone (none when there was no database). */
  before?: ShownBackup
  durationMs: number
}

export function keptBackups(config: ResolvedConfig): number {
  return config.backups?.keep ?? DEFAULT_BACKUPS_KEPT
}

/** A whole backup of the database behind `driver`, this database's oldest beyond `backups.keep` pruned. */
export async function takeWholeBackup(driver: Driver, config: ResolvedConfig, keep = keptBackups(config)): Promise<SyncBackup & { name: string }> {
  const backup = await driver.backup({ root: config.root, whole: true, keep })
  if (backup.kind === 'tables') throw new Error('A whole backup came back as a sync backup')
  return backup
}

/**
 * A backup, named, where it is and how to bring it back: `dev-20240120-143022-123
 * (.okra/backups/dev-20240120-143022-123.db); restore it with ...`; a sync's PostgreSQL table copies: the
 * hint, which names the tables.
 */
export function describeBackup(backup: SyncBackup, root: string): string {
  if (backup.kind === 'tables') return backup.restoreHint
  const where = backup.kind === 'file' ? displayPath(root, backup.path) : `schema ${backup.schema}`
  return `${backup.name} (${where}); ${backup.restoreHint}`
}

/** The same, as the end of a sync's line: `backup dev-... (...); restore it with ...`. */
export function backupNote(backup: SyncBackup, root: string): string {
  return backup.kind === 'tables' ? `backup: ${backup.restoreHint}` : `backup ${describeBackup(backup, root)}`
}

export async function takeBackup(options: BackupOptions = {}): Promise<TakeBackupResult> {
  const started = performance.now()
  const config = options.loadedConfig ?? (await loadConfig(options))
  if (!options.driver) {
    // Opening a SQLite file that is not there would create it: an empty backup protects nothing.
    const target = databaseTarget(config.database.url, config.root)
    if (!dialectOf(target.provider).exists(target)) throw new OkraError(`There is no database to back up: ${target.displayUrl} does not exist`, 'Create it first (okra db:sync or okra migrate:up).')
  }
  return withDriver({ ...options, loadedConfig: config }, async (driver) => {
    const backup = await takeWholeBackup(driver, config)
    const entry = (await driver.listBackups(config.root)).find((e) => e.name === backup.name)!
    return { url: driver.displayUrl, provider: driver.provider, backup: show(entry, config.root), durationMs: performance.now() - started }
  })
}

export async function listBackups(options: BackupOptions = {}): Promise<ListBackupsResult> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  const target = databaseTarget(config.database.url, config.root)
  const local = dialectOf(target.provider).localBackups?.(target, config.root)
  if (local) return { url: target.displayUrl, provider: target.provider, backups: local.reverse().map((e) => show(e, config.root)), keep: keptBackups(config) }
  return withDriver({ ...options, loadedConfig: config }, async (driver) => ({
    url: driver.displayUrl,
    provider: driver.provider,
    backups: (await driver.listBackups(config.root)).reverse().map((e) => show(e, config.root)),
    keep: keptBackups(config),
  }))
}

export async function restoreBackup(options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = performance.now()
  const config = options.loadedConfig ?? (await loadConfig(options))
  const target = databaseTarget(config.database.url, config.root)
  // A SQLite file deleted by hand: restored into a new file, with no backup of nothing first.
  const existed = options.driver !== undefined || dialectOf(target.provider).exists(target)
  return withDriver({ ...options, loadedConfig: config }, async (driver) => {
    if (config.env === 'production' && !options.force) {
      throw new OkraError(
        'Refusing to restore a backup over the database of the production environment: every row written since it was taken is lost',
        'If you really mean it, run it again with --force.',
      )
    }
    const entries = await driver.listBackups(config.root)
    const entry = pick(entries, options.name, driver.displayUrl)
    if (!options.force) await askFirst(`Restore ${entry.name} (taken ${entry.takenAt.toISOString()}) over ${driver.displayUrl}? Every change since then is lost (a backup of the database as it is now is taken first).`, options.confirm)
    // One more than usual is kept for now, so the backup being restored is never the one pruned.
    const before = existed ? await takeWholeBackup(driver, config, keptBackups(config) + 1) : undefined
    await driver.restoreBackup(entry)
    const beforeEntry = before && (await driver.listBackups(config.root)).find((e) => e.name === before.name)
    return {
      url: driver.displayUrl,
      provider: driver.provider,
      restored: show(entry, config.root),
      ...(beforeEntry ? { before: show(beforeEntry, config.root) } : {}),
      durationMs: performance.now() - started,
    }
  })
}

function pick(entries: BackupEntry[], name: string | undefined, url: string): BackupEntry {
  if (entries.length === 0) throw new OkraError(`There is no backup of ${url} to restore`, 'Take one with `okra db:backup`.')
  if (name === undefined) return entries[entries.length - 1]!
  const wanted = name.replace(/\.db$/, '')
  const found = entries.find((e) => e.name === wanted)
  if (found) return found
  const names = entries.map((e) => e.name).reverse()
  throw new OkraError(`There is no backup named ${name} of ${url}`, `The backups of this database, newest first: ${names.join(', ')} (okra db:backup --list).`)
}

function askFirst(question: string, confirm: RestoreOptions['confirm']): Promise<void> {
  return askOrForce(question, confirm, { risk: 'db:restore replaces data', verb: 'restore', cancelled: 'Restore cancelled: nothing was changed' })
}

function show(entry: BackupEntry, root: string): ShownBackup {
  return {
    name: entry.name,
    takenAt: entry.takenAt.toISOString(),
    location: entry.bytes === undefined ? entry.location : displayPath(root, entry.location),
    ...(entry.bytes === undefined ? {} : { bytes: entry.bytes }),
    ...(entry.tables === undefined ? {} : { tables: entry.tables }),
  }
}

async function withDriver<T>(options: BackupOptions, fn: (driver: Driver, config: ResolvedConfig) => Promise<T>): Promise<T> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  if (options.driver) return fn(options.driver, config)
  const driver = await openDriver(config.database.url, { root: config.root })
  try {
    return await fn(driver, config)
  } finally {
    await driver.close()
  }
}
