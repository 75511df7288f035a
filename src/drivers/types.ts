/**
 * The one small interface every database driver implements (better-sqlite3 and pg), and the error it throws.
 * Everything above the drivers (sync, migrations, seeds, backups) speaks only this.
 */
import { OkraError } from '../errors'
import type { DbSchema, Provider } from '../schema/physical-types'

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
  readonly provider: Provider
  /** The URL with any password masked (`postgres://user:***@host/db`): the only form to print. */
  readonly displayUrl: string
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is rethrown).
   * Run the transaction's statements through `tx`, not the driver: on PostgreSQL the driver is a pool and
   * would use another connection. SQLite starts with BEGIN IMMEDIATE, so a writer waits (busy timeout)
   * instead of failing half-way; transactions on one SQLite driver run one after another.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * A lock shared by every OKRA process using this database (`migrate`, `sync`), keyed by name.
   * Waits up to `timeoutMs`, then throws an OkraError naming the process that holds it.
   * PostgreSQL: a session advisory lock on a dedicated connection (released when that connection dies).
   * SQLite: a row in `_okra_lock` written under BEGIN IMMEDIATE (taken over when its holder process is gone).
   */
  lock(key: string, opts: { timeoutMs: number }): Promise<ReleaseLock>
  /** The live database as a DbSchema (OKRA's own `_okra_*` tables are never listed). */
  introspect(): Promise<DbSchema>
  close(): Promise<void>
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

const PROVIDER_NAME: Record<Provider, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
const SHOWN_STATEMENT_CHARS = 600

/** The error for a failed statement: the database's message, then where (line) and what (the statement). */
export function statementError(failure: {
  provider: Provider
  message: string
  code?: string
  detail?: string
  hint?: string
  statement: string
  /** Line within the script (or multi-line statement) that was passed in, when known. */
  line?: number
}): DriverError {
  const { provider, message, code, detail, hint, statement, line } = failure
  const shown = statement.length > SHOWN_STATEMENT_CHARS ? statement.slice(0, SHOWN_STATEMENT_CHARS) + ' ...' : statement
  const where = line === undefined ? '  in: ' : `  at line ${line}, in: `
  const text =
    `${PROVIDER_NAME[provider]} error${code ? ` ${code}` : ''}: ${message}\n` +
    (detail ? `  detail: ${detail}\n` : '') +
    where +
    shown.split('\n').join('\n      ')
  return new DriverError(text, hint, code, statement, line)
}
