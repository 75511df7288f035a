/**
 * What one database knows, behind one object: everything above src/dialects/ (the sync engine, the
 * migrations, the commands) asks its Dialect or its Driver and never which database it is. A dialect
 * lives in its own folder (src/dialects/<name>/) and is listed once in src/dialects/index.ts.
 *
 * The Dialect holds what is true of the database in general (types, SQL, quoting, how syncs are kept
 * apart); its Driver (driver.ts) what needs a connection to one database (queries, transactions, locks,
 * introspection, backups), scoped to the database or schema its URL names.
 */
import type { Change } from '../diff/changes'
import type { DbSchema, Provider, TypeRules } from '../schema/physical-types'
import type { Quoting } from '../sql/quote'
import type { SqlSyntax } from '../sql/sql-text'
import type { Statement } from '../sql/statement'
import type { Driver, Queryable } from './driver'

/** Where a database URL points, parsed by its dialect. */
export interface DatabaseTarget {
  provider: Provider
  /** The URL with any password masked (`postgres://user:***@host/db`): the only form ever printed. */
  displayUrl: string
  /** The database file (absolute) or `:memory:`, for a database that is a local file (SQLite). */
  file?: string
  /** The URL for the client library, without OKRA's own parameters (PostgreSQL). */
  connectionString?: string
  /** The schema OKRA works in (PostgreSQL `?schema=`, default `public`). */
  schema?: string
  /** Every secret in the URL, to scrub from any message that might echo it. */
  secrets: string[]
}

/**
 * Schema features whose values behave differently from one database to another. Where environments use
 * different providers, each feature the schema uses gets one warning setting what each database does side
 * by side (`uniqueText`: String and ID fields in a unique constraint or primary key).
 */
export type PortableFeature = 'JSON' | 'DateTime' | 'Decimal' | 'BigInt' | 'Boolean' | 'enum' | 'uniqueText'

export interface Dialect {
  readonly provider: Provider
  /** `SQLite`, `PostgreSQL`: as messages name the database. */
  readonly displayName: string
  /** Type mapping, literal defaults, lossless type changes: what toPhysical and the differ need. */
  readonly types: TypeRules
  /** How this database stores and compares each portable feature, in a phrase (for compatibility warnings). */
  readonly behaviour: Readonly<Record<PortableFeature, string>>
  readonly quote: Quoting
  /** How scripts are split into statements. */
  readonly syntax: SqlSyntax
  /** The statements that make `from` into `to` (`changes` from diff(from, to)), in order. */
  render(changes: readonly Change[], to: DbSchema, from: DbSchema): Statement[]
  /** A statement of a hand-written script that has effect only outside a transaction (SQLite's `PRAGMA foreign_keys`). */
  runsOutsideTransaction(statement: string): boolean
  /**
   * Runs `run`, which executes `script` in a transaction through `db`, so that what a table rebuild in the
   * script would drop with the old table although no statement asks for it (SQLite's indexes and triggers
   * made by hand) is there again afterwards. PostgreSQL alters tables in place: `run` alone.
   */
  keepThroughRebuilds(db: Queryable, script: string, run: () => Promise<void>): Promise<void>
  /**
   * What `db:reset` runs: drop everything OKRA manages (the tables, OKRA's own included, and enum types;
   * never rows of other tables), then `create`.
   */
  resetStatements(managed: { tables: readonly string[]; enums: readonly string[]; /** The target's schema (PostgreSQL). */ schema?: string }, create: readonly Statement[]): Statement[]
  /** The column type of a point in time in OKRA's own tables (`_okra_migrations.applied_at`). */
  readonly timeType: string
  /**
   * How a sync keeps other syncs out (src/sync/engine.ts): `one-transaction`, everything from the plan on
   * in one transaction that first takes the sync's lock (PostgreSQL: DDL is transactional and a lock can
   * be held by the transaction); `recheck-on-write`, plan first, then write in one transaction that
   * re-checks the plan still holds (SQLite: the write transaction itself is the lock, held briefly).
   */
  readonly syncIsolation: 'one-transaction' | 'recheck-on-write'
  /**
   * Where a sync's backup before destructive changes goes, in words for the person asked to consent
   * (`a copy of dev.db in .okra/backups/`); paths relative to `root`.
   */
  backupPlace(target: DatabaseTarget, root: string): string
  /**
   * The database part of every backup name (`<label>-<timestamp>`), so each database keeps its own
   * backups: the SQLite file's base name, or the PostgreSQL database[_schema]; sanitised for file and
   * schema names.
   */
  backupLabel(target: DatabaseTarget): string
  /**
   * Whole backups kept outside the database (SQLite's files), listed without connecting (opening a SQLite
   * file that is not there would create it); absent where they live in the database (PostgreSQL).
   */
  localBackups?(target: DatabaseTarget, root: string): BackupEntry[]
  /**
   * Whether the database holds unique constraints under names it gave them itself (`types.isDatabaseNamedIndex`:
   * SQLite's inline UNIQUE of a table made by hand). `migrations/current/schema.json` knows those under
   * OKRA's names, so a sync that drops or renames a unique index reads the real names first.
   */
  hasDatabaseNamedIndexes(db: Queryable): Promise<boolean>
  /** Whether `migrate:up` / `migrate:down` copy the database first (SQLite: a file copy is cheap). */
  readonly backupBeforeMigrations: boolean
  /** What `okra init` writes for a new project on this database. */
  readonly newProject: NewProject
  /** Parses a URL of this database; relative paths are relative to `root`. */
  target(url: string, root: string): DatabaseTarget
  /** Whether the database exists already (opening a SQLite file would create it). */
  exists(target: DatabaseTarget): boolean
  /** Opens a connection; the client package loads on first use, so commands without a database stay fast. */
  connect(target: DatabaseTarget): Promise<Driver>
}

export interface NewProject {
  /**
   * true: the URL names a file beside the project and goes into okra.config.json; false: it names a server
   * and may hold a password, so it goes into `.env`, read by the config as `${DATABASE_URL}`.
   */
  urlInConfig: boolean
  /** The database of a `test` environment that needs no setup, when this database has one (in memory). */
  testUrl?: string
  /** The files of the database at `url` that git must not see, relative to `root` (none outside it). */
  localFiles(url: string, root: string): string[]
}

/**
 * A copy taken before destructive changes, so the data can be brought back: a SQLite file in
 * `.okra/backups/`, or PostgreSQL tables in the `okra_backup` schema.
 */
export type SyncBackup =
  | { kind: 'file'; /** `<db>-<timestamp>`: what `okra db:restore` takes. */ name: string; /** Absolute path of the copy. */ path: string; restoreHint: string }
  | { kind: 'schema'; /** `<db>-<timestamp>`: what `okra db:restore` takes. */ name: string; /** The PostgreSQL schema holding the copy. */ schema: string; tables: string[]; restoreHint: string }
  | { kind: 'tables'; schema: string; /** The backup tables, `okra_backup."<timestamp>_<table>"`. */ tables: string[]; restoreHint: string }

/** A backup `okra db:restore` can bring back, as `okra db:backup --list` shows it. */
export interface BackupEntry {
  /** `<db>-<timestamp>`. */
  name: string
  takenAt: Date
  /** Where it is: the file (absolute) or the PostgreSQL schema. */
  location: string
  /** SQLite: the file's size in bytes. */
  bytes?: number
  /** PostgreSQL: how many tables it holds. */
  tables?: number
}

/** The backups of one database are kept this many at a time unless `backups.keep` says otherwise. */
export const DEFAULT_BACKUPS_KEPT = 5

/**
 * What a backup copies: the whole database (SQLite, always; PostgreSQL with `whole`, as `okra db:backup`
 * takes it), or the tables a sync is about to change (PostgreSQL).
 */
export interface BackupRequest {
  /** The project root: SQLite copies go into `<root>/.okra/backups/`. */
  root: string
  /** PostgreSQL: copy every table where OKRA works into a schema of its own (`okra_backup_<db>_<timestamp>`). */
  whole?: boolean
  /** How many backups of this database to keep, the newest (default DEFAULT_BACKUPS_KEPT); on PostgreSQL also the per-sync copies, counted by sync. */
  keep?: number
  /** The tables at risk, as they are in `from` (PostgreSQL copies these). */
  tables?: readonly string[]
  from?: DbSchema
  /** The transaction to copy in (PostgreSQL); SQLite copies outside any transaction. */
  tx?: Queryable
  now?: Date
}
