/**
 * Runs rendered statements on real databases: SQLite in memory (better-sqlite3), and PostgreSQL at
 * OKRA_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) in a schema of its own that
 * is dropped afterwards. When no server answers there (or OKRA_TEST_PG_FORCE_PGLITE=1), PGlite (PostgreSQL compiled
 * to WebAssembly, in process) stands in, so the suite runs the same everywhere.
 */
import Database from 'better-sqlite3'
import { type DiffOptions } from '../../src/diff/diff'
import type { DiffResult } from '../../src/diff/changes'
import { renderPostgres } from '../../src/dialects/postgres/render'
import { renderSqlite } from '../../src/dialects/sqlite/render'
import { type Statement, transactionParts } from '../../src/sql/statement'
import type { DbSchema } from '../../src/schema/physical-types'
import { empty, physicalOf } from '../diff/helpers'
import { DEFAULT_TEST_PG_URL } from '../helpers/pg'
import { diffOf } from '../helpers/dialects'

export type SqliteDb = Database.Database

export function openSqlite(): SqliteDb {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  return db
}

/** As a migration runner must: the non-transactional statements outside, the rest in one transaction. */
export function applySqlite(db: SqliteDb, statements: readonly Statement[]): void {
  const { before, inside, after } = transactionParts(statements)
  for (const s of before) db.exec(s.sql)
  try {
    db.exec('BEGIN')
    for (const s of inside) db.exec(s.sql)
    db.exec('COMMIT')
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    for (const s of after) db.exec(s.sql)
  }
}

/** Diffs two schema texts (or DbSchemas), renders for SQLite and applies; returns the diff. */
export async function migrateSqlite(db: SqliteDb, from: string | DbSchema, to: string | DbSchema, options?: Omit<DiffOptions, 'types'>): Promise<DiffResult> {
  const a = typeof from === 'string' ? (from.trim() ? physicalOf(from, 'sqlite') : empty('sqlite')) : from
  const b = typeof to === 'string' ? (to.trim() ? physicalOf(to, 'sqlite') : empty('sqlite')) : to
  const result = await diffOf(a, b, options)
  applySqlite(db, renderSqlite(result.changes, b, a))
  return result
}

export interface Pg {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>
  /** The schema holding this connection's tables. */
  readonly schema: string
  close(): Promise<void>
  /** Which PostgreSQL runs the tests. */
  readonly kind: 'server' | 'pglite'
}

let counter = 0

/** A connection whose search_path is a fresh schema, dropped (with everything in it) by close(). */
export async function openPostgres(): Promise<Pg> {
  const schema = `okra_sql_test_${process.pid}_${Date.now().toString(36)}_${counter++}`
  const base = await connect()
  await base.query(`CREATE SCHEMA "${schema}"`)
  await base.query(`SET search_path TO "${schema}"`)
  return {
    kind: base.kind,
    schema,
    query: base.query,
    async close() {
      await base.query('RESET search_path')
      await base.query(`DROP SCHEMA "${schema}" CASCADE`)
      await base.close()
    },
  }
}

async function connect(): Promise<Omit<Pg, 'schema'>> {
  const url = process.env.OKRA_TEST_PG_URL || DEFAULT_TEST_PG_URL
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  client.on('error', () => undefined)
  try {
    if (process.env.OKRA_TEST_PG_FORCE_PGLITE === '1') throw new Error('PGlite forced')
    await client.connect()
    return {
      kind: 'server',
      query: async <T,>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[])).rows as T[],
      close: () => client.end(),
    }
  } catch {
    // No server (or PGlite forced): the same fallback as test/helpers/pg.ts, in process.
    const { PGlite } = await import('@electric-sql/pglite')
    const lite = new PGlite()
    return {
      kind: 'pglite',
      query: async <T,>(sql: string, params?: readonly unknown[]) => (await lite.query<T>(sql, params as unknown[])).rows,
      close: () => lite.close(),
    }
  }
}

export async function applyPostgres(db: Pg, statements: readonly Statement[]): Promise<void> {
  await db.query('BEGIN')
  try {
    for (const s of statements) await db.query(s.sql)
    await db.query('COMMIT')
  } catch (error) {
    await db.query('ROLLBACK')
    throw error
  }
}

export async function migratePostgres(db: Pg, from: string | DbSchema, to: string | DbSchema, options?: Omit<DiffOptions, 'types'>): Promise<DiffResult> {
  const a = typeof from === 'string' ? (from.trim() ? physicalOf(from, 'postgres') : empty('postgres')) : from
  const b = typeof to === 'string' ? (to.trim() ? physicalOf(to, 'postgres') : empty('postgres')) : to
  const result = await diffOf(a, b, options)
  await applyPostgres(db, renderPostgres(result.changes))
  return result
}
