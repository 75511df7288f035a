/**
 * The PostgreSQL driver, on node-postgres (loaded on first use): a small pool for statements and
 * transactions, and one dedicated connection per lock held. Every error that reaches the user shows the
 * masked URL and never the password; a failed statement is shown with its line in the script.
 */
import { sha256Hash } from '../../hash'
import type { Client, Pool, PoolClient } from 'pg'
import { onCancel, throwIfCancelled } from '../../cancel'
import { OkraError } from '../../errors'
import type { DbSchema } from '../../schema/physical-types'
import { lineAt, splitStatements } from '../../sql/sql-text'
import type { BackupEntry, BackupRequest, DatabaseTarget, Dialect, SyncBackup } from '../dialect'
import { DriverError, LockLostError, statementError, type Driver, type LockHolder, type Queryable, type ReleaseLock, type StatementTimeouts } from '../driver'
import { scrubSecrets } from '../url'
import { type PoolHandle, takePool } from './kept-pools'
import { type PgModule, loadPg } from './pg'
import { backupPostgres, backupPostgresWhole, listPostgresBackups, postgresBackupLabel, restorePostgres } from './backup'
import { postgresFingerprint } from './fingerprint'
import { introspectPostgres } from './introspect'
import { type Blocker, describeWaitFailure, watchBlockers } from './waits'

/** A PostgreSQL target: its connection string and schema are always set. */
type PostgresTarget = DatabaseTarget & { connectionString: string; schema: string }

const CONNECT_TIMEOUT_MS = 10_000
const LOCK_POLL_MS = 100

/** The advisory locks of key `$1` in this database, in pg_locks `l`. */
const ADVISORY_LOCK_OF_KEY = `l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`

/**
 * Tries the lock of key `$1` on a new connection whose startup named backend `$2`. A server session that
 * already holds the lock, reached through something that named another backend, is shared with other
 * clients: a pooler in transaction mode, through which two OKRA processes would both take the (re-entrant)
 * lock. Then it is not taken (`shared`). Embedded PGlite, one session for every connection, names its own.
 * `OFFSET 0` keeps the look at pg_locks a step of its own, done before the try.
 */
const TRY_LOCK_SQL = `SELECT shared, CASE WHEN shared THEN false ELSE pg_try_advisory_lock($1::bigint) END AS locked, pid
  FROM (SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE ${ADVISORY_LOCK_OF_KEY} AND l.pid = pg_backend_pid()) AND pg_backend_pid() <> $2::int AS shared,
    pg_backend_pid() AS pid OFFSET 0) AS already`

export async function openPostgres(target: DatabaseTarget, dialect: Dialect): Promise<Driver> {
  const pg = loadPg()
  const scoped = target as PostgresTarget
  const handle = takePool(pg, { connectionString: scoped.connectionString, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'okra' })
  // An idle connection the server ended: the pool drops it and opens another on the next query.
  if (!handle.reused) handle.pool.on('error', () => undefined)
  const driver = new PostgresDriver(pg, handle, scoped, dialect)
  try {
    await driver.query('SELECT 1')
  } catch (error) {
    await handle.pool.end()
    throw error
  }
  return driver
}

/** The 63-bit key of the session advisory lock for an OKRA lock name (same in every OKRA process). */
export function advisoryLockId(key: string): string {
  const digest = sha256Hash().update(`okra:${key}`).digest()
  return (digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn).toString()
}

class PostgresDriver implements Driver {
  readonly provider = 'postgres'
  readonly displayUrl: string
  /** Pool connections whose search_path is already set to the target schema. */
  private readonly prepared = new WeakSet<PoolClient>()
  /** The dedicated session of each lock held, by key. */
  private readonly lockClients = new Map<string, Client>()
  /** The server session (backend pid) that took each lock client's lock: the lock's transactions run there. */
  private readonly lockSessions = new WeakMap<Client, number>()
  private timeouts: StatementTimeouts = { lockWaitMs: 0, statementTimeoutMs: 0 }
  /** Bumped by setTimeouts(); each connection records the version it has SET, and catches up on its next use. */
  private timeoutsVersion = 0
  private readonly timeoutsSet = new WeakMap<Client | PoolClient, number>()
  /** Connections inside BEGIN: Ctrl-C for the daemon's command stops their statements (cancel.ts). */
  private readonly inTransaction = new WeakSet<Client | PoolClient>()
  private closed = false

  private readonly pool: Pool

  constructor(
    private readonly pg: PgModule,
    private readonly poolHandle: PoolHandle,
    readonly target: PostgresTarget,
    readonly dialect: Dialect,
  ) {
    this.pool = poolHandle.pool
    this.displayUrl = target.displayUrl
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.withClient((client) => this.run<T>(client, sql, params))
  }

  exec(script: string): Promise<void> {
    return this.withClient((client) => this.execOn(client, script))
  }

  setTimeouts(timeouts: StatementTimeouts): void {
    this.timeouts = { ...timeouts }
    this.timeoutsVersion++
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: { holding?: string } = {}): Promise<T> {
    if (opts.holding !== undefined) return this.transactionHolding(opts.holding, fn)
    const client = await this.acquire()
    let broken = false
    try {
      const result = await this.inside(client, fn)
      await this.run(client, 'COMMIT')
      return result
    } catch (error) {
      // A ROLLBACK that fails means the connection is gone (and the transaction with it): drop the connection.
      await client.query('ROLLBACK').catch(() => (broken = true))
      throw error
    } finally {
      this.inTransaction.delete(client)
      client.release(broken)
    }
  }

  /** BEGIN on `client`, then `fn` with the transaction's statements; the caller ends it. */
  private async inside<T>(client: Client | PoolClient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    throwIfCancelled()
    await this.run(client, 'BEGIN')
    this.inTransaction.add(client)
    return fn({ query: (sql, params) => this.run(client, sql, params ?? []), exec: (script) => this.execOn(client, script) })
  }

  /**
   * The advisory lock key of `key` for this target: two projects in two schemas of one database never
   * wait for each other (`public` keeps the plain key, which every OKRA version used).
   */
  private lockKey(key: string): string {
    return this.target.schema === 'public' ? key : `${key}@${this.target.schema}`
  }

  async lock(key: string, opts: { timeoutMs: number }): Promise<ReleaseLock> {
    const id = advisoryLockId(this.lockKey(key))
    const client = new this.pg.Client({ connectionString: this.target.connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'okra-lock' })
    // The server ended the session: its advisory locks are gone with it; nothing else to do here.
    client.on('error', () => undefined)
    try {
      await client.connect()
    } catch (error) {
      throw connectionError(error, this.target)
    }
    // Migrations run on this session. When their process dies, the server would go on running the statement
    // (holding the lock) until it ends; this makes it check twice a second that the client is still there,
    // and end the session (and the lock) when it is not. PostgreSQL 14+; older servers lack the setting.
    await client.query('SET client_connection_check_interval = 500').catch(() => undefined)
    const deadline = Date.now() + opts.timeoutMs
    try {
      for (;;) {
        throwIfCancelled()
        const [row] = await this.run<{ shared: boolean | null; locked: boolean; pid: number }>(client, TRY_LOCK_SQL, [id, (client as { processID?: number }).processID ?? null])
        if (row!.shared) throw sharedSessionError(`OKRA's lock "${key}" is already held by the server session its new connection got`, this.target)
        if (row!.locked) {
          this.lockSessions.set(client, row!.pid)
          break
        }
        const left = deadline - Date.now()
        if (left <= 0) throw await this.lockTimeout(client, key, id, opts.timeoutMs)
        await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, left)))
      }
    } catch (error) {
      await client.end()
      throw error
    }
    this.lockClients.set(key, client)
    // Ending the session releases its advisory locks, also when the process dies before calling this.
    return async () => {
      if (this.lockClients.get(key) !== client) return
      this.lockClients.delete(key)
      await client.end()
    }
  }

  /**
   * A transaction on the session that holds `lock(key)`: it takes the transaction form of the same lock
   * first, which this session gets only while it still holds the session lock (another session's lock
   * makes the try fail). A session the server ended (idle_session_timeout, a pooler, a failover) fails its
   * next statement, so nothing is written once the lock is gone.
   */
  private async transactionHolding<T>(key: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = this.lockClients.get(key)
    if (!client) throw new LockLostError(key, this.displayUrl, 'it was given back before this transaction')
    try {
      await this.prepare(client)
      const result = await this.inside(client, async (tx) => {
        const [row] = await tx.query<{ locked: boolean; pid: number }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked, pg_backend_pid() AS pid', [
          advisoryLockId(this.lockKey(key)),
        ])
        const session = this.lockSessions.get(client)
        if (row && row.pid !== session) throw sharedSessionError(`A transaction of OKRA's lock "${key}" ran on server session ${row.pid}, not on ${session}, which took the lock`, this.target)
        if (!row?.locked) throw new LockLostError(key, this.displayUrl, 'another session holds it now')
        return fn(tx)
      })
      await this.run(client, 'COMMIT')
      return result
    } catch (error) {
      // OKRA's own verdicts (the lock lost, Ctrl-C, a pooler) are not a session that ended.
      const lost = (error instanceof DriverError || !(error instanceof OkraError)) && sessionEnded(error)
      await client.query('ROLLBACK').catch(() => undefined)
      if (lost) {
        this.lockClients.delete(key)
        await client.end().catch(() => undefined)
        throw new LockLostError(key, this.displayUrl, `the session holding it ended (${(error as Error).message.split('\n')[0]})`)
      }
      throw error
    } finally {
      this.inTransaction.delete(client)
    }
  }

  private async lockTimeout(client: Client, key: string, id: string, timeoutMs: number): Promise<OkraError> {
    const [holder] = await this.run<{ pid: number; application_name: string | null; usename: string | null; client_addr: string | null; backend_start: Date | null }>(
      client,
      `SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE ${ADVISORY_LOCK_OF_KEY}`,
      [id],
    )
    const who = holder
      ? `backend pid ${holder.pid} holds it` +
        ` (application "${holder.application_name ?? ''}", user ${holder.usename ?? '?'}` +
        `${holder.client_addr ? ` from ${holder.client_addr}` : ''}${holder.backend_start ? `, connected since ${holder.backend_start.toISOString()}` : ''})`
      : 'another session held it until just now'
    return new OkraError(
      `Could not take the lock "${key}" on ${this.displayUrl} within ${timeoutMs / 1000} s: ${who}.`,
      holder
        ? `Wait for that process to finish, or end it with SELECT pg_terminate_backend(${holder.pid}); then run the command again.`
        : 'Run the command again.',
    )
  }

  /** The session holding the advisory lock of `key` in this database, with what it is doing. */
  async lockHolder(key: string): Promise<LockHolder | null> {
    const [row] = await this.query<{ pid: number; application_name: string | null; usename: string | null; client_addr: string | null; backend_start: Date | null; state: string | null; query: string | null }>(
      `SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state, left(a.query, 200) AS query
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE ${ADVISORY_LOCK_OF_KEY}`,
      [advisoryLockId(this.lockKey(key))],
    )
    if (!row) return null
    return {
      kind: 'session',
      pid: row.pid,
      since: row.backend_start?.toISOString(),
      application: row.application_name ?? undefined,
      user: row.usename ?? undefined,
      client: row.client_addr ?? undefined,
      state: row.state ?? undefined,
      query: row.query ?? undefined,
    }
  }

  /** An advisory lock belongs to its session: only ending that session (pg_terminate_backend) releases it. */
  async clearLock(): Promise<boolean> {
    return false
  }

  /** `pg_try_advisory_xact_lock` on the key of `lock(key)`, polled until `timeoutMs`; COMMIT or ROLLBACK gives it back. */
  async lockInTransaction(tx: Queryable, key: string, timeoutMs: number): Promise<void> {
    const id = advisoryLockId(this.lockKey(key))
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [id])
      if (row?.locked) return
      if (Date.now() >= deadline) {
        throw new OkraError(
          `Could not start the ${key} of ${this.displayUrl} within ${timeoutMs / 1000} s: another ${key} of this database is running`,
          'Wait for it to finish (a dev server auto-syncing, or another okra db:sync), then run the command again.',
        )
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, deadline - Date.now())))
    }
  }

  introspect(db: Queryable = this): Promise<DbSchema> {
    return introspectPostgres(db, this.target.schema)
  }

  fingerprint(db: Queryable = this): Promise<string> {
    return postgresFingerprint(db, this.target.schema)
  }

  async tableExists(name: string, db: Queryable = this): Promise<boolean> {
    const rows = await db.query(`SELECT 1 AS "found" FROM pg_tables WHERE schemaname = $1 AND tablename = $2`, [this.target.schema, name])
    return rows.length > 0
  }

  async ownTables(db: Queryable = this): Promise<string[]> {
    const rows = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND substr(tablename, 1, 6) = '_okra_'`, [this.target.schema])
    return rows.map((r) => r.name)
  }

  async ensureSchema(): Promise<string | null> {
    const { schema } = this.target
    const [found] = await this.query('SELECT 1 AS "found" FROM pg_namespace WHERE nspname = $1', [schema])
    if (found) return null
    await this.query(`CREATE SCHEMA IF NOT EXISTS ${this.dialect.quote.identifier(schema)}`)
    return schema
  }

  /**
   * The tables of the request, copied through its transaction into the backup schema of the target's schema;
   * `whole`: every table, into a schema of its own.
   */
  backup(request: BackupRequest): Promise<SyncBackup> {
    if (request.whole) return backupPostgresWhole(this, this.label, this.target.schema, request)
    return backupPostgres(request, this.target.schema)
  }

  listBackups(): Promise<BackupEntry[]> {
    return listPostgresBackups(this, this.label)
  }

  async restoreBackup(entry: BackupEntry): Promise<void> {
    await restorePostgres(this, this.target.schema, await this.introspect(), entry)
  }

  private get label(): string {
    return postgresBackupLabel(this.target.connectionString, this.target.schema)
  }

  async version(): Promise<string> {
    const [row] = await this.query<{ version: string }>(`SELECT current_setting('server_version') AS version`)
    return `PostgreSQL ${row!.version.split(' ')[0]}`
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const client of this.lockClients.values()) await client.end().catch(() => undefined)
    this.lockClients.clear()
    await this.poolHandle.giveBack()
  }

  private async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.acquire()
    try {
      return await fn(client)
    } finally {
      client.release()
    }
  }

  private async acquire(): Promise<PoolClient> {
    let client!: PoolClient
    for (let attempt = 0; ; attempt++) {
      try {
        client = await this.pool.connect()
      } catch (error) {
        throw connectionError(error, this.target)
      }
      if (!this.poolHandle.reused || this.prepared.has(client)) break
      // A connection an earlier command used (kept-pools.ts): its session starts afresh, and one the server
      // ended meanwhile fails here and is replaced (the pool holds at most 4, so a fifth try gets a new one).
      try {
        await client.query('DISCARD ALL')
        break
      } catch (error) {
        client.release(true)
        if (attempt > 4) throw connectionError(error, this.target, 'lost')
      }
    }
    try {
      await this.prepare(client)
    } catch (error) {
      client.release(true)
      throw error
    }
    return client
  }

  /** Sets what a new connection needs (search_path), and the timeouts when they changed since it last ran. */
  private async prepare(client: Client | PoolClient): Promise<void> {
    if (!this.prepared.has(client as PoolClient)) {
      // The target's schema alone (pg_catalog is always searched first): an unqualified name that is not
      // there (`_okra_migrations` of a fresh schema, a table db:reset drops) never falls through to public.
      await this.run(client, `SET search_path TO ${this.dialect.quote.identifier(this.target.schema)}`)
      this.prepared.add(client as PoolClient)
    }
    if ((this.timeoutsSet.get(client) ?? 0) !== this.timeoutsVersion) {
      const { lockWaitMs, statementTimeoutMs } = this.timeouts
      await this.run(client, `SET lock_timeout = ${Math.round(lockWaitMs)}; SET statement_timeout = ${Math.round(statementTimeoutMs)}`)
      this.timeoutsSet.set(client, this.timeoutsVersion)
    }
  }

  /** `client.query`, watching who blocks it while it waits (to name them if the lock wait runs out). */
  private async watched(client: Client | PoolClient, sql: string, params?: unknown[]): Promise<{ result: unknown } | { error: unknown; blockers: Blocker[] }> {
    const pid = (client as { processID?: number }).processID
    const inTransaction = this.inTransaction.has(client)
    if (inTransaction) throwIfCancelled()
    // Ctrl-C during a statement (one waiting for a lock, or rewriting a big table): the server cancels it.
    const stopCancel = inTransaction ? onCancel(() => void this.pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined)) : () => undefined
    const watch = watchBlockers(this.pool, pid, this.timeouts.lockWaitMs)
    try {
      return { result: await (params ? client.query(sql, params) : client.query(sql)) }
    } catch (error) {
      if (inTransaction) throwIfCancelled()
      return { error, blockers: await watch.blockers(error, [...this.lockClients.values()].map((c) => (c as { processID?: number }).processID)) }
    } finally {
      stopCancel()
      watch.stop()
    }
  }

  private async run<T>(client: Client | PoolClient, sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const outcome = await this.watched(client, sql, params as unknown[])
    if ('error' in outcome) throw this.failure(outcome.error, sql, undefined, outcome.blockers)
    const result = outcome.result as { rows?: unknown[] } | { rows?: unknown[] }[]
    // A parameterless query with several statements answers with one result per statement.
    const last = Array.isArray(result) ? result[result.length - 1] : result
    return (last?.rows ?? []) as T[]
  }

  /** Statement by statement, so that a failure names the one that failed and its line in the script. */
  private async execOn(client: Client | PoolClient, script: string): Promise<void> {
    for (const statement of splitStatements(script, this.dialect.syntax)) {
      const outcome = await this.watched(client, statement.text)
      if ('error' in outcome) throw this.failure(outcome.error, statement.text, statement.line - 1, outcome.blockers)
    }
  }

  /** `lineOffset`: lines before the statement in its script. `blockers`: the sessions it waited for. */
  private failure(error: unknown, statement: string, lineOffset?: number, blockers: Blocker[] = []): DriverError {
    const e = error as { message?: string; code?: string; detail?: string; hint?: string; position?: string }
    if (e.code === undefined || !/^[0-9A-Z]{5}$/.test(e.code)) return connectionError(error, this.target, 'lost')
    const wait = describeWaitFailure(e.code, this.timeouts, blockers)
    const inStatement = e.position ? lineAt(statement, Number(e.position) - 1) : undefined
    const line = lineOffset === undefined ? (inStatement !== undefined && statement.includes('\n') ? inStatement : undefined) : lineOffset + (inStatement ?? 1)
    const scrub = (text: string | undefined) => (text === undefined ? undefined : scrubSecrets(text, this.target.secrets))
    return statementError({
      database: this.dialect.displayName,
      message: (scrub(e.message) ?? String(error)) + (wait ? `\n  ${wait.message}` : ''),
      code: e.code,
      detail: scrub(e.detail),
      hint: wait?.hint ?? scrub(e.hint),
      statement,
      line,
    })
  }
}

/** The session itself is gone (ended by the server, or the connection broke), not just one statement. */
function sessionEnded(error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === undefined || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('57P') || code.startsWith('08')
}

/**
 * One server session for several clients, and one client's statements on several sessions: a pooler in
 * transaction mode, where no session lock (nor session setting) is OKRA's alone.
 */
function sharedSessionError(what: string, target: PostgresTarget): OkraError {
  return new OkraError(
    `${what}: ${target.displayUrl} is reached through a pooler in transaction mode (PgBouncer's pool_mode = transaction, a hosted "pooled" URL), which shares server sessions between clients, so OKRA's lock could not keep another OKRA process out`,
    'Point the URL OKRA uses at the server itself, or at a pool in session mode; your application can keep its pooled URL (docs/providers.md, "Connection poolers").',
  )
}

/** A connection that could not be made (or was lost), with the masked URL and what to do about it. */
function connectionError(error: unknown, target: PostgresTarget, phase: 'connect' | 'lost' = 'connect'): DriverError {
  const e = error as { message?: string; code?: string; errors?: { code?: string }[] }
  const code = e.code ?? e.errors?.[0]?.code
  const at = `${phase === 'connect' ? 'Cannot connect to' : 'Lost the connection to'} PostgreSQL at ${target.displayUrl}`
  const raw = scrubSecrets(e.message || String(error), target.secrets)
  switch (code) {
    case 'ECONNREFUSED':
      return new DriverError(
        `${at}: connection refused.`,
        'Is the server running? Start it (for example `pg_ctlcluster <version> main start`, `brew services start postgresql` or `docker start <container>`), or correct the host and port in the database URL.',
        code,
      )
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DriverError(`${at}: unknown host.`, 'Check the host name in the database URL.', code)
    case '28P01':
    case '28000':
      return new DriverError(`${at}: ${raw}.`, 'Check the user name and password in the database URL (or the server\'s pg_hba.conf).', code)
    case '3D000':
      return new DriverError(`${at}: ${raw}.`, 'Create the database (for example `createdb <name>`), or correct its name in the database URL.', code)
    default:
      return new DriverError(
        `${at}: ${/timeout/i.test(raw) ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s` : raw}.`,
        'Is the server running and reachable from here? Check the database URL.',
        code,
      )
  }
}
