/** The options and result of `sync()`: shared by the engine (engine.ts), the command and the plugin. */
import type { Terminal } from '../terminal'
import type { Change, DiffWarning, RenameResolver } from '../diff/index'
import type { Driver, StatementTimeouts, SyncBackup } from '../dialects/index'
import type { LoadProjectOptions, Project } from '../project/load'
import type { Provider } from '../schema/physical-types'
import type { Statement } from '../sql/statement'
import type { DataAtRisk } from './consent'

/** `lockWaitMs` / `statementTimeoutMs`: the bounds on each statement's waits (default: the config's). */
export interface SyncOptions extends LoadProjectOptions, Partial<StatementTimeouts> {
  /** A project already loaded (the plugin keeps one); default: loaded from `cwd` / `configFile` / `env`. */
  project?: Project
  /** Apply destructive changes that affect rows without asking (`--accept-data-loss`). */
  acceptDataLoss?: boolean
  /** Decides whether a table or column that went away and one that appeared are one renamed (the CLI asks at a terminal). */
  renames?: RenameResolver
  /**
   * Asked when destructive changes affect rows and neither `acceptDataLoss` nor `backup` allows them; the
   * question lists them. Absent, or throwing an OkraError (no terminal): the sync stops with a DataLossError.
   */
  confirm?: (question: string) => Promise<boolean>
  /**
   * Auto-sync: destructive changes proceed without consent, but only after a restorable backup (SQLite: a
   * copy of the file in `.okra/backups/`; PostgreSQL: the affected tables in the `okra_backup` schema).
   */
  backup?: boolean
  /** One line at a time: repairs, warnings, backups. */
  log?: (line: string) => void
  /** Progress of a long apply (a terminal's `progress`): asked for only when there are many statements. */
  progress?: Terminal['progress']
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
  /** How long to wait for another sync of the same database (PostgreSQL). Default 30 s. */
  lockTimeoutMs?: number
  /**
   * The caller holds the sync lock already (`driver.lock(SYNC_LOCK)`, PostgreSQL), as `db:reset` does from
   * its drop to its last step: the sync's transaction runs on that lock's session instead of taking it.
   */
  holdingSyncLock?: boolean
}

export interface SyncResult {
  /** The database URL, password masked. */
  url: string
  provider: Provider
  /** What changed (or, when nothing was applied, nothing). */
  changes: Change[]
  /** One line per change: `+ Added field 'phone' to User`. */
  summaries: string[]
  /** Changes were applied (false: already in sync). */
  applied: boolean
  /** End to end: load the schema, plan, apply, record. */
  durationMs: number
  /** Where the database's state came from: `current/schema.json` (fast path) or introspection. */
  source: 'current' | 'introspection'
  /** Why the database had to be introspected although it had been synced before. */
  repair?: string
  /** Taken before destructive changes when `backup` was asked. */
  backup?: SyncBackup
  /** The statements run, in order. */
  statements: Statement[]
  /** Stale or conflicting rename hints. */
  warnings: DiffWarning[]
  /** The destructive changes applied, with the rows they affected (with consent or after a backup). */
  dataLoss: DataAtRisk[]
  /** The PostgreSQL schema (`?schema=`) created first because it did not exist. */
  createdSchema?: string
}

