/**
 * What every migrate command starts from: the resolved config, the migration folders, and (for the
 * commands that need one) an open database, closed again whatever happens.
 */
import { relative } from 'node:path'
import { backupSqlite } from '../backup'
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import type { Driver } from '../drivers/types'
import { parseDatabaseUrl } from '../drivers/url'
import type { Terminal } from '../terminal'
import { type MigrationFolder, readMigrationFolders } from './folders'

export interface MigrationsOptions extends LoadConfigOptions {
  /** A config already loaded: skips loading it. */
  loadedConfig?: ResolvedConfig
  /** An open database to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
  /** Where progress, warnings and questions go; without one, nothing is shown and nothing is asked. */
  terminal?: Terminal
}

export interface MigrationsSession {
  config: ResolvedConfig
  folders: MigrationFolder[]
  /** The migrations folder relative to the root (`migrations`), for messages. */
  dirShown: string
}

export async function openSession(options: MigrationsOptions): Promise<MigrationsSession> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  const dir = config.database.migrations.dir
  return { config, folders: readMigrationFolders(dir, config.root), dirShown: relative(config.root, dir).split('\\').join('/') || '.' }
}

export async function withDatabase<T>(config: ResolvedConfig, options: MigrationsOptions, fn: (driver: Driver) => Promise<T>): Promise<T> {
  if (options.driver) return fn(options.driver)
  const { openDriver } = await import('../drivers/index')
  const driver = await openDriver(config.database.url, { root: config.root })
  try {
    return await fn(driver)
  } finally {
    await driver.close()
  }
}

/** A warning on stderr (yellow on a terminal). */
export function warn(terminal: Terminal | undefined, text: string): void {
  terminal?.stderr.line(terminal.stderr.paint.yellow(`warning: ${text}`))
}

/** SQLite: copies the database file into `.okra/backups/` (the newest 5 kept); returns its path, or null for an in-memory database. */
export async function backupSqliteFile(driver: Driver, config: ResolvedConfig): Promise<string | null> {
  const target = parseDatabaseUrl(config.database.url, config.root)
  if (target.provider !== 'sqlite' || target.file === ':memory:') return null
  const backup = await backupSqlite(driver, config.root, target.file)
  return backup.kind === 'sqlite-file' ? backup.path : null
}
