/**
 * The one small interface every database driver implements (better-sqlite3 and pg), and the error it throws.
 * Everything above the dialects (sync, migrations, seeds, backups) speaks only this and the Dialect.
 * A driver is scoped to what its URL names: a SQLite file, or one schema of a PostgreSQL database.
 */
import { OkraError } from '../errors'
import type { DbSchema } from '../schema/physical-types'
import type { BackupRequest, DatabaseTarget, Dialect, SyncBackup } from './dialect'

/** What can run SQL: the driver itself, or the transaction handed to `transaction()`'s callback. */
export interface Queryable {
  /**
   * One statement; returns its rows (empty for statements without rows). Placeholders are `$1, $2, ...`
   * on both providers (SQLite also takes `?`). In SQLite, booleans bind as 1/0 and Dates as ISO strings.
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** A script of any number of statements, no parameters. A failure names the statement and its line. */
  exec(sql: string): Promise<void>
}

/** Gives the lock back. Calling it twice is harmless. */
export type ReleaseLock = () => Promise<void>

export interface Driver extends Queryable {
  readonly dialect: Dialect
  readonly provider: Dialect['provider']
  /** What the URL names: the file, or the server and schema. */
  readonly target: DatabaseTarget
  /** The URL with any password masked (`postgres://user:***@host/db`): the only form to print. */
  readonly displayUrl: string
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is rethrown).
   * Run the transaction's statements through `tx`, not the driver: on PostgreSQL the driver is a pool and
   * would use another connection. SQLite starts with BEGIN IMMEDIATE, so a writer waits (busy timeout)
   * instead of failing half-way; transactions on one SQLite driver run one after another.
   * `holding: key`: the transaction first proves this driver still holds `lock(key)`, and throws a
   * LockLostError (nothing written) when it does not: PostgreSQL runs it on the lock's own session and
   * takes `pg_try_advisory_xact_lock(key)` there (a session that ended took its lock with it, and another
   * process's lock makes the try fail); SQLite checks, under BEGIN IMMEDIATE, that `_okra_lock` still
   * holds this driver's token.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: { holding?: string }): Promise<T>
  /**
   * Bounds on the waits of every statement from now on: `lockWaitMs` for a lock another session holds
   * (PostgreSQL `lock_timeout`, SQLite's busy timeout), `statementTimeoutMs` for a whole statement
   * (PostgreSQL `statement_timeout`; SQLite cannot interrupt one). 0 means no bound.
   */
  setTimeouts(timeouts: StatementTimeouts): void
  /**
   * A lock shared by every OKRA process using this database (`migrate`, `sync`), keyed by name.
   * Waits up to `timeoutMs`, then throws an OkraError naming the process that holds it.
   * PostgreSQL: a session advisory lock on a dedicated connection (released when that connection dies).
   * SQLite: a row in `_okra_lock` written under BEGIN IMMEDIATE (taken over when its holder process is gone).
   */
  lock(key: string, opts: { timeoutMs: number }): Promise<ReleaseLock>
  /**
   * The transaction form of `lock(key)`, held until `tx` ends: PostgreSQL polls a transaction advisory
   * lock on the same key until `timeoutMs`, then throws an OkraError; SQLite's write transaction already
   * keeps every other writer out, so it returns at once.
   */
  lockInTransaction(tx: Queryable, key: string, timeoutMs: number): Promise<void>
  /** The live database as a DbSchema (OKRA's own `_okra_*` tables are never listed), read through `db` (default: the driver). */
  introspect(db?: Queryable): Promise<DbSchema>
  /**
   * A cheap fingerprint of the database's structure, recorded in `_okra_state` by every sync. When it is
   * unchanged, nobody altered the database behind OKRA's back, so sync may trust
   * `migrations/current/schema.json` instead of introspecting (the fast path). A false alarm only costs
   * one introspection; a change it would miss is what it must never allow.
   */
  fingerprint(db?: Queryable): Promise<string>
  /** Whether a table of this name exists where the driver works. */
  tableExists(name: string, db?: Queryable): Promise<boolean>
  /** OKRA's own tables there (`_okra_state`, `_okra_migrations`, `_okra_lock`, ...), which introspection never lists. */
  ownTables(db?: Queryable): Promise<string[]>
  /** Copies the data a request names so it can be brought back (see BackupRequest). */
  backup(request: BackupRequest): Promise<SyncBackup>
  /** `SQLite 3.45.1`, `PostgreSQL 15.4`. */
  version(): Promise<string>
  close(): Promise<void>
}

export interface StatementTimeouts {
  lockWaitMs: number
  statementTimeoutMs: number
}

/** A command's own `lockWaitMs` / `statementTimeoutMs` (flags) over the config's, set on `driver`. */
export function applyTimeouts(driver: Driver, fromConfig: StatementTimeouts, given: Partial<StatementTimeouts> = {}): void {
  driver.setTimeouts({ lockWaitMs: given.lockWaitMs ?? fromConfig.lockWaitMs, statementTimeoutMs: given.statementTimeoutMs ?? fromConfig.statementTimeoutMs })
}

/**
 * A transaction that had to hold a lock (`transaction(fn, { holding })`) found it gone: its session ended
 * (idle_session_timeout, a proxy, a failover), or another process took the lock over. Nothing was written.
 */
export class LockLostError extends OkraError {
  override name = 'LockLostError'
  constructor(
    readonly key: string,
    displayUrl: string,
    /** What happened to it: `its session ended (...)`. */
    readonly why: string,
  ) {
    super(
      `This process no longer holds the "${key}" lock on ${displayUrl}: ${why}.`,
      'Another process may hold the lock now and be running: check with `okra migrate:status`, then run the command again. ' +
        '(A lock session ended by the server: look at idle_session_timeout and any connection pooler between OKRA and PostgreSQL.)',
    )
  }
}

/** A database failure: a statement that failed (with its text and line) or a connection that could not be made. */
export class DriverError extends OkraError {
  override name = 'DriverError'
  constructor(
    message: string,
    hint: string | undefined,
    /** SQLSTATE on PostgreSQL (`23505`), the SQLite code (`SQLITE_CONSTRAINT_UNIQUE`), or a Node code (`ECONNREFUSED`). */
    readonly code: string | undefined,
    /** The failing statement, when one failed. */
    readonly statement?: string,
    /** 1-based line of the failure within the script or statement passed in. */
    readonly line?: number,
  ) {
    super(message, hint)
  }
}

const SHOWN_STATEMENT_CHARS = 600

/** The error for a failed statement: the database's message, then where (line) and what (the statement). */
export function statementError(failure: {
  /** The database's name as messages show it (`SQLite`). */
  database: string
  message: string
  code?: string
  detail?: string
  hint?: string
  statement: string
  /** Line within the script (or multi-line statement) that was passed in, when known. */
  line?: number
}): DriverError {
  const { database, message, code, detail, hint, statement, line } = failure
  const shown = statement.length > SHOWN_STATEMENT_CHARS ? statement.slice(0, SHOWN_STATEMENT_CHARS) + ' ...' : statement
  const where = line === undefined ? '  in: ' : `  at line ${line}, in: `
  const text =
    `${database} error${code ? ` ${code}` : ''}: ${message}\n` +
    (detail ? `  detail: ${detail}\n` : '') +
    where +
    shown.split('\n').join('\n      ')
  return new DriverError(text, hint, code, statement, line)
}
