/**
 * What every migrate command starts from: the resolved config, the migration folders, and (for the
 * commands that need one) an open database, closed again whatever happens.
 */
import { loadConfig } from '../config/load'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import { type Driver, type StatementTimeouts, applyTimeouts, openDriver } from '../dialects/index'
import { keptBackups } from '../backups/backups'
import { OkraError } from '../errors'
import { displayPath } from '../fs'
import type { Terminal } from '../terminal'
import { type MigrationFolder, readMigrationFolders } from './folders'
import { folderLinks, inChainOrder } from './chain'
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
  /** In the order they are applied (inChainOrder). */
  folders: MigrationFolder[]
  /** The migrations folder relative to the root (`migrations`), for messages. */
  dirShown: string
}

export async function openSession(options: MigrationsOptions): Promise<MigrationsSession> {
  const config = options.loadedConfig ?? (await loadConfig(options))
  const dir = config.database.migrations.dir
  return { config, folders: inChainOrder(readMigrationFolders(dir, config.root)), dirShown: displayPath(config.root, dir) }
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
 * `.okra/backups/<db>-<timestamp>.db`, the newest `backups.keep` kept): its name and path, or null when none is taken.
 */
export async function backupBeforeMigrations(driver: Driver, config: ResolvedConfig): Promise<{ name: string; path: string } | null> {
  if (!driver.dialect.backupBeforeMigrations || !driver.dialect.exists(driver.target)) return null
  const backup = await driver.backup({ root: config.root, keep: keptBackups(config) })
  return backup.kind === 'file' ? { name: backup.name, path: backup.path } : null
}

/** Adds to a failure's hint the backup taken before the run, by name, and how to bring it back. */
export function mentionBackup(error: unknown, backup: { name: string; path: string } | null, root: string): unknown {
  if (!backup || !(error instanceof OkraError)) return error
  const note = `The database as it was before this run is backup ${backup.name} (${displayPath(root, backup.path)}): \`okra db:restore ${backup.name}\` brings it back.`
  ;(error as { hint?: string }).hint = error.hint ? `${error.hint}\n${note}` : note
  return error
}

/** The chain check (chain-check.ts) of the folders in memory: a fork, a hole, a snapshot that is not the head. */
export function sessionChain(session: MigrationsSession): Promise<ChainReport> {
  return inspectChain(session.config, { links: folderLinks(session.folders) })
}
