/**
 * The SQLite driver, on better-sqlite3 (loaded on first use). better-sqlite3 is synchronous and one
 * connection; this wraps it in the async Driver interface. Foreign keys are enforced, files use WAL, and a
 * busy timeout makes a writer wait for another process's write instead of failing at once.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { throwIfCancelled } from '../../cancel'
import { openBetterSqlite } from './better-sqlite3'
import type { DbSchema } from '../../schema/physical-types'
import { splitStatements, tokenize } from '../../sql/sql-text'
import type { BackupEntry, BackupRequest, DatabaseTarget, Dialect, SyncBackup } from '../dialect'
import { DriverError, statementError, type Driver, type LockHolder, type Queryable, type ReleaseLock, type StatementTimeouts } from '../driver'
import { backupSqlite, listSqliteBackups, restoreSqlite } from './backup'
import { introspectSqlite } from './introspect'
import { acquireSqliteLock, proveSqliteLock, releaseAllSqliteLocks } from './lock'
import { clearSqliteLock, sqliteLockHolder } from './unlock'

/** How long a writer waits for another connection's write transaction before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000

export async function openSqlite(target: DatabaseTarget, dialect: Dialect): Promise<Driver> {
  const { displayUrl } = target
  const file = target.file!
  let db: BetterSqlite3.Database
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    db = openBetterSqlite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS })
    db.pragma('foreign_keys = ON')
    if (file !== ':memory:') db.pragma('journal_mode = WAL')
  } catch (error) {
    const e = error as { message: string; code?: string }
    throw new DriverError(
      `Cannot open the SQLite database ${displayUrl}: ${e.message}`,
      'Check that the path in the database URL is a writable file (relative paths start at the project root).',
      e.code,
    )
  }
  return new SqliteDriver(db, target, dialect)
}

class SqliteDriver implements Driver {
  readonly provider = 'sqlite'
  readonly displayUrl: string
  /** The end of the last transaction started: transactions on this one connection run one after another. */
  private transactionTail: Promise<unknown> = Promise.resolve()
  private busyTimeoutMs = SQLITE_BUSY_TIMEOUT_MS

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly target: DatabaseTarget,
    readonly dialect: Dialect,
  ) {
    this.displayUrl = target.displayUrl
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.run(sql, params) as T[]
  }

  async exec(script: string): Promise<void> {
    for (const statement of splitStatements(script, this.dialect.syntax)) {
      this.stopWhenCancelled()
      try {
        this.db.exec(statement.text)
      } catch (error) {
        throw this.failure(error, statement.text, statement.line)
      }
    }
  }

  /** The lock wait is SQLite's busy timeout; a statement cannot be interrupted, so the statement timeout does not apply. */
  setTimeouts(timeouts: StatementTimeouts): void {
    // 0 (no bound): the longest busy timeout SQLite takes.
    this.busyTimeoutMs = timeouts.lockWaitMs > 0 ? Math.round(timeouts.lockWaitMs) : 2 ** 31 - 1
    this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`)
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: { holding?: string } = {}): Promise<T> {
    const run = this.transactionTail.then(() => this.runTransaction(fn, opts.holding))
    this.transactionTail = run.catch(() => undefined)
    return run
  }

  private async runTransaction<T>(fn: (tx: Queryable) => Promise<T>, holding: string | undefined): Promise<T> {
    this.run('BEGIN IMMEDIATE', [])
    try {
      if (holding !== undefined) await proveSqliteLock(this, holding)
      const result = await fn({ query: (sql, params) => this.query(sql, params), exec: (script) => this.exec(script) })
      this.run('COMMIT', [])
      return result
    } catch (error) {
      // Some errors (SQLITE_FULL, IOERR, ...) already rolled the transaction back.
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  lock(key: string, opts: { timeoutMs: number }): Promise<ReleaseLock> {
    return acquireSqliteLock(this, key, opts.timeoutMs)
  }

  lockHolder(key: string): Promise<LockHolder | null> {
    return sqliteLockHolder(this, key)
  }

  clearLock(key: string, holder: LockHolder): Promise<boolean> {
    return clearSqliteLock(this, key, holder)
  }

  /** BEGIN IMMEDIATE has taken the database's write lock: no other writer gets in until the transaction ends. */
  async lockInTransaction(): Promise<void> {}

  introspect(db: Queryable = this): Promise<DbSchema> {
    return introspectSqlite(db)
  }

  /** `PRAGMA schema_version`, which SQLite itself bumps on every change to the schema. */
  async fingerprint(db: Queryable = this): Promise<string> {
    const [row] = await db.query<{ schema_version: number }>('SELECT schema_version FROM pragma_schema_version')
    return `sqlite:${row!.schema_version}`
  }

  async tableExists(name: string, db: Queryable = this): Promise<boolean> {
    return (await db.query(`SELECT 1 AS "found" FROM sqlite_master WHERE type = 'table' AND name = $1`, [name])).length > 0
  }

  async ensureSchema(): Promise<string | null> {
    return null
  }

  async ownTables(db: Queryable = this): Promise<string[]> {
    const rows = await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 6) = '_okra_'`)
    return rows.map((r) => r.name)
  }

  /** The whole file, whatever the request names; taken outside the write transaction, before it. */
  backup(request: BackupRequest): Promise<SyncBackup> {
    return backupSqlite(this.db, this.target.file!, request)
  }

  async listBackups(root: string): Promise<BackupEntry[]> {
    return listSqliteBackups(root, this.target.file!)
  }

  restoreBackup(entry: BackupEntry): Promise<void> {
    return restoreSqlite(this.target.file!, entry)
  }

  async version(): Promise<string> {
    const [row] = await this.query<{ version: string }>('SELECT sqlite_version() AS version')
    return `SQLite ${row!.version}`
  }

  async close(): Promise<void> {
    if (!this.db.open) return
    await releaseAllSqliteLocks(this)
    this.db.close()
  }

  get isOpen(): boolean {
    return this.db.open
  }

  /** Ctrl-C for the daemon's command stops a transaction at its next statement (cancel.ts). */
  private stopWhenCancelled(): void {
    if (this.db.inTransaction) throwIfCancelled()
  }

  private run(sql: string, params: readonly unknown[]): unknown[] {
    this.stopWhenCancelled()
    let statement: BetterSqlite3.Statement
    try {
      statement = this.db.prepare(sql)
    } catch (error) {
      throw this.failure(error, sql)
    }
    const bound = bindParameters(sql, params, this.dialect)
    try {
      if (statement.reader) return statement.all(...bound)
      statement.run(...bound)
      return []
    } catch (error) {
      throw this.failure(error, sql)
    }
  }

  private failure(error: unknown, statement: string, line?: number): DriverError {
    const e = error as { message?: string; code?: string }
    const message = e.message ?? String(error)
    return statementError({
      database: this.dialect.displayName,
      message,
      code: e.code,
      hint: e.code === 'SQLITE_BUSY' ? `Another process kept ${this.displayUrl} locked for writing longer than ${this.busyTimeoutMs / 1000} s (the lock wait); try again when it is done, or allow a longer wait with --lock-wait S.` : dropColumnHint(message),
      statement,
      line,
    })
  }
}

/**
 * SQLite refuses to drop a column that an index or trigger no schema declares still uses (one made by hand
 * in a migration's SQL): "error in index users_name_lower after drop column: no such column". Says what to do.
 */
function dropColumnHint(message: string): string | undefined {
  const match = /error in (index|trigger) (\S+) after drop column/.exec(message)
  if (!match) return undefined
  const [, kind, name] = match
  return `The ${kind} ${name}, made by hand (no schema declares it), uses the column this change drops. Drop it first (DROP ${kind!.toUpperCase()} "${name}" in a migration: okra db:migrate:create), or keep the column.`
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; `$1`-style placeholders bind by number. */
function bindParameters(sql: string, params: readonly unknown[], dialect: Dialect): unknown[] {
  if (params.length === 0) return []
  const values = params.map(toSqliteValue)
  if (!usesNumberedParams(sql, dialect)) return values
  return [Object.fromEntries(values.map((value, i) => [String(i + 1), value]))]
}

function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value
}

/** True when a statement numbers its placeholders (`$1`, `?1`) rather than using bare `?`. */
function usesNumberedParams(sql: string, dialect: Dialect): boolean {
  return tokenize(sql, dialect.syntax).some((t) => t.kind === 'param' && t.text !== '?')
}

export type { SqliteDriver }
