/**
 * A real PostgreSQL database for each test file:
 *
 *   const pgdb = await usePgDatabase()          // at the top of the test file
 *   const driver = await openDriver(pgdb.url)
 *
 * Server mode: connects to OKRA_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), creates
 * a fresh database `okra_test_<random>` and drops it (FORCE) after the file's tests.
 * PGlite mode, when no server answers (or OKRA_TEST_PG_FORCE_PGLITE=1, or `{ forcePglite: true }`): starts
 * PostgreSQL-in-WASM through @electric-sql/pglite-socket on a random 127.0.0.1 port, on a worker thread of
 * this process (so a test blocked in spawnSync of an okra process still gets its queries answered). It
 * holds one database, so each caller gets its own schema instead (the URL carries `?schema=`, which the
 * driver honours). PGlite is also one backend session behind a multiplexer: every connection shares its
 * locks and settings (search_path: use one schema per test file), so tests of concurrency between sessions
 * cannot run there, and `serverOnly()` says so plainly.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll } from 'vitest'
import { maskUrl } from '../../src/config/url'

export type PgMode = 'server' | 'pglite'

export interface PgTestDatabase {
  /** This test file's own database (server) or schema (PGlite); give it to openDriver. */
  readonly url: string
  readonly mode: PgMode
  /** Drops everything in it (tables, types, functions, other schemas), leaving it empty. */
  reset(): Promise<void>
  /**
   * True on a real server. On PGlite, prints once to stderr that `what` was not run and why, and returns
   * false: use as `it.runIf(pgdb.serverOnly('lock contention'))(...)`. `why` defaults to PGlite being a
   * single backend session (so locks, SET and temporary tables are shared by all connections).
   */
  serverOnly(what: string, why?: string): boolean
}

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export async function usePgDatabase(opts: { forcePglite?: boolean } = {}): Promise<PgTestDatabase> {
  const adminUrl = process.env.OKRA_TEST_PG_URL || DEFAULT_TEST_PG_URL
  const forced = opts.forcePglite === true || process.env.OKRA_TEST_PG_FORCE_PGLITE === '1'
  if (!forced && (await serverAnswers(adminUrl))) return serverDatabase(adminUrl)
  announce(forced ? 'forced (OKRA_TEST_PG_FORCE_PGLITE=1 or forcePglite)' : `no server at ${maskUrl(adminUrl)}`)
  return pgliteSchema()
}

const newName = () => `okra_test_${randomBytes(6).toString('hex')}`
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** True when a server accepts the connection; false when nothing answers; throws when it answers with an error. */
async function serverAnswers(url: string): Promise<boolean> {
  try {
    await withClient(url, (c) => c.query('SELECT 1'))
    return true
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code && /^[0-9A-Z]{5}$/.test(code)) throw error // a server answered and refused: fix the setup, do not fall back silently
    return false
  }
}

async function serverDatabase(adminUrl: string): Promise<PgTestDatabase> {
  const name = newName()
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${quote(name)}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  afterAll(() => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`)))
  return {
    url: url.toString(),
    mode: 'server',
    serverOnly: () => true,
    reset: () =>
      withClient(url.toString(), async (c) => {
        await c.query(`DO $$ DECLARE s text; BEGIN
                   FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP
                     EXECUTE format('DROP SCHEMA %I CASCADE', s);
                   END LOOP;
                 END $$;
                 CREATE SCHEMA public;`)
      }),
  }
}

interface Embedded {
  baseUrl: string
  users: number
  stop(): Promise<void>
}

let embedded: Promise<Embedded> | undefined

async function startEmbedded(): Promise<Embedded> {
  const { Worker } = await import('node:worker_threads')
  const worker = new Worker(new URL('./pglite-server.mjs', import.meta.url))
  const conn = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { conn: string }) => resolve(message.conn))
    worker.once('error', reject)
  })
  return {
    baseUrl: `postgres://postgres@${conn}/postgres`,
    users: 0,
    async stop() {
      const exited = new Promise((resolve) => worker.once('exit', resolve))
      worker.postMessage('stop')
      await exited
    },
  }
}

async function pgliteSchema(): Promise<PgTestDatabase> {
  embedded ??= startEmbedded()
  const instance = await embedded
  instance.users++
  const schema = newName()
  const recreate = async (c: pg.Client) => {
    await c.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE; CREATE SCHEMA ${quote(schema)}`)
  }
  await withClient(instance.baseUrl, recreate)
  afterAll(async () => {
    await withClient(instance.baseUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`))
    if (--instance.users === 0) {
      embedded = undefined
      await instance.stop()
    }
  })
  return {
    url: `${instance.baseUrl}?schema=${schema}`,
    mode: 'pglite',
    serverOnly: (what, why = 'PGlite is a single backend session shared by every connection') => {
      notRun(what, why)
      return false
    },
    reset: () => withClient(instance.baseUrl, recreate),
  }
}

let announced = false
function announce(why: string): void {
  if (announced) return
  announced = true
  process.stderr.write(`PostgreSQL tests run against embedded PGlite: ${why}.\n`)
}

const reported = new Set<string>()
function notRun(what: string, why: string): void {
  if (reported.has(what)) return
  reported.add(what)
  process.stderr.write(`Not run on embedded PGlite: ${what}. Why: ${why}; it needs a real PostgreSQL server (OKRA_TEST_PG_URL).\n`)
}
