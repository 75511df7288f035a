/**
 * What every migrate command starts from: the resolved config, the migration folders, and (for the
 * commands that need one) an open database, closed again whatever happens.
 */
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import { type Driver, type StatementTimeouts, applyTimeouts, openDriver } from '../dialects/index'
import { displayPath } from '../fs'
import type { Terminal } from '../terminal'
import { type MigrationFolder, readMigrationFolders } from './folders'
import { folderLinks } from './chain'
import { type ChainReport, inspectChain } from './chain-check'

/** `lockWaitMs` / `statementTimeoutMs`: the bounds on each statement's waits (default: the config's). */
export interface MigrationsOptions extends LoadConfigOptions, Partial<StatementTimeouts> {
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
  return { config, folders: readMigrationFolders(dir, config.root), dirShown: displayPath(config.root, dir) }
}

export async function withDatabase<T>(config: ResolvedConfig, options: MigrationsOptions, fn: (driver: Driver) => Promise<T>): Promise<T> {
  if (options.driver) {
    applyTimeouts(options.driver, config.database.timeouts, options)
    return fn(options.driver)
  }
  const driver = await openDriver(config.database.url, { root: config.root })
  try {
    applyTimeouts(driver, config.database.timeouts, options)
    return await fn(driver)
  } finally {
    await driver.close()
  }
}

/** A warning on stderr (yellow on a terminal). */
export function warn(terminal: Terminal | undefined, text: string): void {
  terminal?.stderr.line(terminal.stderr.paint.yellow(`warning: ${text}`))
}

/**
 * The copy `migrate:up` / `migrate:down` take first where the dialect wants one (a SQLite file into
 * `.okra/backups/`, the newest 5 kept): its path, or null when none is taken.
 */
export async function backupBeforeMigrations(driver: Driver, config: ResolvedConfig): Promise<string | null> {
  if (!driver.dialect.backupBeforeMigrations || !driver.dialect.exists(driver.target)) return null
  const backup = await driver.backup({ root: config.root })
  return backup.kind === 'file' ? backup.path : null
}

/** The chain check (chain-check.ts) of the folders in memory: a fork, a hole, a snapshot that is not the head. */
export function sessionChain(session: MigrationsSession): Promise<ChainReport> {
  return inspectChain(session.config, { links: folderLinks(session.folders) })
}
