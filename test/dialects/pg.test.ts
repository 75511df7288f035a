import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { advisoryLockId } from '../../src/dialects/postgres/driver'
import { DriverError, openDriver, type Driver } from '../../src/dialects/index'
import { usePgDatabase } from '../helpers/pg'
import { driverContract } from './contract'

const pgdb = await usePgDatabase()
driverContract(`PostgreSQL (${pgdb.mode})`, () => openDriver(pgdb.url), { sharedSession: pgdb.mode === 'pglite' })

const opened: Driver[] = []
const rawClients: pg.Client[] = []
afterEach(async () => {
  for (const driver of opened.splice(0)) await driver.close()
  for (const client of rawClients.splice(0)) await client.end().catch(() => undefined)
})
async function open(url = pgdb.url): Promise<Driver> {
  const driver = await openDriver(url)
  opened.push(driver)
  return driver
}
async function rawClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgdb.url })
  client.on('error', () => undefined)
  await client.connect()
  rawClients.push(client)
  return client
}
function withUrl(edit: (url: URL) => void): string {
  const url = new URL(pgdb.url)
  edit(url)
  return url.toString()
}

describe('PostgreSQL errors never show a password', () => {
  it('masks the URL, even a password given as a parameter, and hints at starting the server', async () => {
    const error = (await openDriver('postgres://u:S1@127.0.0.1:1/db?password=S2').catch((e: unknown) => e)) as DriverError
    expect(error).toBeInstanceOf(DriverError)
    const text = `${error.message}\n${error.hint}`
    expect(text).not.toContain('S1')
    expect(text).not.toContain('S2')
    expect(error.message).toBe('Cannot connect to PostgreSQL at postgres://u:***@127.0.0.1:1/db?password=***: connection refused.')
    expect(error.hint).toContain('Is the server running?')
    expect(error.hint).toContain('pg_ctlcluster')
    expect(error.code).toBe('ECONNREFUSED')
  })

  it.runIf(pgdb.serverOnly('the missing-database error', 'PGlite answers every database name with its one database'))('names a missing database, masked, with how to create it', async () => {
    const url = withUrl((u) => {
      u.password = 'S3cr3t'
      u.pathname = '/okra_no_such_database'
    })
    const error = (await openDriver(url).catch((e: unknown) => e)) as DriverError
    expect(error).toBeInstanceOf(DriverError)
    expect(error.message).toContain(':***@')
    expect(error.message).toContain('okra_no_such_database')
    expect(`${error.message}${error.hint}`).not.toContain('S3cr3t')
    expect(error.hint).toContain('createdb')
  }, 20_000)

  it('masks the password in displayUrl', async () => {
    const driver = await open(withUrl((u) => (u.password = 'S3cr3t')))
    expect(driver.displayUrl).toContain(':***@')
    expect(driver.displayUrl).not.toContain('S3cr3t')
  })
})

describe('PostgreSQL statements', () => {
  it('points at the line of an error inside a multi-line statement', async () => {
    const driver = await open()
    const error = (await driver.query('SELECT 1\nFROM\n  nowhere_table').catch((e: unknown) => e)) as DriverError
    expect(error.code).toBe('42P01')
    expect(error.line).toBe(3)
    expect(error.message).toContain('PostgreSQL error 42P01: relation "nowhere_table" does not exist')
  })

  it('splits scripts around dollar-quoted bodies and E-strings', async () => {
    const driver = await open()
    await driver.exec(`
      CREATE OR REPLACE FUNCTION "okra_test_fn"() RETURNS text LANGUAGE plpgsql AS $body$
      BEGIN RETURN 'a;b'; END; $body$;
      SELECT E'it\\'s; fine';
      CREATE TABLE "dollar_t" ("v" text DEFAULT $$x;y$$);
    `)
    expect(await driver.query('SELECT "okra_test_fn"() AS v')).toEqual([{ v: 'a;b' }])
    const error = (await driver.exec('SELECT 1;\nSELECT $$;$$;\nSELECT 1/0;').catch((e: unknown) => e)) as DriverError
    expect(error.code).toBe('22012')
    expect(error.line).toBe(3)
    expect(error.statement).toBe('SELECT 1/0')
  })

  it.runIf(pgdb.serverOnly('two schemas side by side', 'search_path is one setting of the one PGlite session'))('works in the schema named by ?schema= and introspects only that schema', async () => {
    const driver = await open()
    await driver.exec('DROP SCHEMA IF EXISTS "okra other" CASCADE; CREATE SCHEMA "okra other"; CREATE TABLE "public_only" ("x" integer);')
    const other = await open(withUrl((u) => u.searchParams.set('schema', 'okra other')))
    await other.exec('CREATE TABLE "in_other" ("y" integer)')
    expect((await other.introspect()).tables.map((t) => t.name)).toEqual(['in_other'])
    const found = await driver.query<{ table_schema: string }>(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'in_other'`)
    expect(found).toEqual([{ table_schema: 'okra other' }])
    await driver.exec('DROP SCHEMA "okra other" CASCADE; DROP TABLE "public_only";')
  })
})

describe('PostgreSQL lock', () => {
  it.runIf(pgdb.serverOnly('lock contention between sessions'))('times out after ~1 s naming the pid of the session holding it', async () => {
    const holder = await rawClient()
    const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }]
    await holder.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockId('migrate')])
    const driver = await open()
    const started = Date.now()
    const error = (await driver.lock('migrate', { timeoutMs: 1000 }).catch((e: unknown) => e)) as Error & { hint?: string }
    const waited = Date.now() - started
    expect(error.message).toContain(`Could not take the lock "migrate" on ${driver.displayUrl} within 1 s: backend pid ${pid} holds it`)
    expect(error.hint).toContain(`pg_terminate_backend(${pid})`)
    expect(waited).toBeGreaterThanOrEqual(950)
    expect(waited).toBeLessThan(3000)
    // Polling never blocked the server side: no session of ours waits on the lock.
    const waiting = await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
    expect(waiting.rows).toEqual([])
  })

  it.runIf(pgdb.serverOnly('lock contention between sessions'))('is taken as soon as the holder releases it', async () => {
    const first = await open()
    const second = await open()
    const release = await first.lock('sync', { timeoutMs: 1000 })
    setTimeout(() => void release(), 300)
    const started = Date.now()
    const releaseSecond = await second.lock('sync', { timeoutMs: 3000 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    await releaseSecond()
  })

  it.runIf(pgdb.serverOnly('lock contention between sessions'))('is freed when the connection holding it dies', async () => {
    const holder = await open()
    await holder.lock('migrate', { timeoutMs: 1000 })
    const driver = await open()
    const held = (await driver.lock('migrate', { timeoutMs: 300 }).catch((e: unknown) => e)) as Error
    const pid = Number(/backend pid (\d+)/.exec(held.message)![1])
    const admin = await rawClient()
    expect((await admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows).toEqual([{ ok: true }])
    const release = await driver.lock('migrate', { timeoutMs: 2000 })
    await release()
  })

  it('uses a different advisory key per lock name, stable across processes', () => {
    expect(advisoryLockId('migrate')).toBe(advisoryLockId('migrate'))
    expect(advisoryLockId('migrate')).not.toBe(advisoryLockId('sync'))
    expect(BigInt(advisoryLockId('migrate')) > 0n).toBe(true)
  })
})
