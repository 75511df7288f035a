/**
 * The SQLite driver, on better-sqlite3 (loaded on first use). better-sqlite3 is synchronous and one
 * connection; this wraps it in the async Driver interface. Foreign keys are enforced, files use WAL, and a
 * busy timeout makes a writer wait for another process's write instead of failing at once.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import type { DbSchema } from '../schema/physical-types'
import { introspectSqlite } from './introspect-sqlite'
import { acquireSqliteLock, releaseAllSqliteLocks } from './sqlite-lock'
import { splitStatements, usesNumberedParams } from './sql-text'
import { DriverError, statementError, type Driver, type Queryable, type ReleaseLock } from './types'

/** How long a writer waits for another connection's write transaction before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000

export async function openSqlite(file: string, displayUrl: string): Promise<Driver> {
  const { default: Database } = await import('better-sqlite3')
  let db: BetterSqlite3.Database
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, { timeout: SQLITE_BUSY_TIMEOUT_MS })
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
  return new SqliteDriver(db, displayUrl)
}

class SqliteDriver implements Driver {
  readonly provider = 'sqlite'
  /** The end of the last transaction started: transactions on this one connection run one after another. */
  private transactionTail: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly displayUrl: string,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.run(sql, params) as T[]
  }

  async exec(script: string): Promise<void> {
    for (const statement of splitStatements(script)) {
      try {
        this.db.exec(statement.text)
      } catch (error) {
        throw this.failure(error, statement.text, statement.line)
      }
    }
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const run = this.transactionTail.then(() => this.runTransaction(fn))
    this.transactionTail = run.catch(() => undefined)
    return run
  }

  private async runTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.run('BEGIN IMMEDIATE', [])
    try {
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

  introspect(): Promise<DbSchema> {
    return introspectSqlite(this)
  }

  async close(): Promise<void> {
    if (!this.db.open) return
    await releaseAllSqliteLocks(this)
    this.db.close()
  }

  get isOpen(): boolean {
    return this.db.open
  }

  private run(sql: string, params: readonly unknown[]): unknown[] {
    let statement: BetterSqlite3.Statement
    try {
      statement = this.db.prepare(sql)
    } catch (error) {
      throw this.failure(error, sql)
    }
    const bound = bindParameters(sql, params)
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
    const busy = e.code === 'SQLITE_BUSY'
    return statementError({
      provider: 'sqlite',
      message: e.message ?? String(error),
      code: e.code,
      hint: busy ? `Another process kept ${this.displayUrl} locked for writing longer than ${SQLITE_BUSY_TIMEOUT_MS / 1000} s; try again when it is done.` : undefined,
      statement,
      line,
    })
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; `$1`-style placeholders bind by number. */
function bindParameters(sql: string, params: readonly unknown[]): unknown[] {
  if (params.length === 0) return []
  const values = params.map(toSqliteValue)
  if (!usesNumberedParams(sql)) return values
  return [Object.fromEntries(values.map((value, i) => [String(i + 1), value]))]
}

function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value
}

export type { SqliteDriver }
