/**
 * Two projects in two schemas of one PostgreSQL database (`?schema=`), driven as whole okra processes:
 * sync, snapshot, up, status and reset each stay inside their own schema, never fall through to `public`
 * (whose table must survive), create a missing schema (and say so), and never see the other project's
 * tables, ledger, lock or backups.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { openDriver } from '../../src/dialects/index'
import { MIGRATION_LOCK } from '../../src/migrations/lock'
import { okraProcessAsync } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeProject } from './project'

const pgdb = await usePgDatabase()
const tag = randomBytes(3).toString('hex')
const APP = `app_${tag}`
const APP2 = `app2_${tag}`
const TENANT = `tenant_${tag}`
const EMPTY = `empty_${tag}`

function urlFor(schema: string): string {
  const url = new URL(pgdb.url)
  url.searchParams.set('schema', schema)
  return url.toString()
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const url = new URL(pgdb.url)
  url.searchParams.delete('schema')
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}

/** Every table of a schema (OKRA's own included), sorted. */
async function tables(schema: string): Promise<string[]> {
  const rows = await sql<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [schema])
  return rows.map((r) => r.t)
}

const SCHEMA_A = 'model User {\n  id: Int! @id\n  email: String!\n}\nmodel Note {\n  id: Int! @id\n  text: String!\n}\n'
const SCHEMA_B = 'model User {\n  id: Int! @id\n  email: String!\n}\nmodel Tag {\n  id: Int! @id\n  name: String!\n}\n'

function project(schema: string, text: string) {
  const p = makeProject({ url: urlFor(schema), schema: text })
  const run = (...argv: string[]) => okraProcessAsync(argv, { cwd: p.root })
  return { p, run }
}

describe('?schema=NAME: two projects in two schemas of one database', () => {
  it('snapshot, up, status, sync and reset each stay in their own schema; public survives', async () => {
    // A table of someone else in public, with a row, as in the report.
    await sql(`CREATE TABLE public.users (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO public.users VALUES (1, 'keep@example.com')`)
    const a = project(APP, SCHEMA_A)
    const b = project(APP2, SCHEMA_B)

    // Named apart: two snapshots taken in the same second would otherwise share their folder name.
    expect((await a.run('db:migrate:snapshot', '--force', '--name', 'first')).code).toBe(0)
    const upA = await a.run('migrate:up')
    expect(upA.code).toBe(0)
    expect(upA.stdout).toContain(`Created schema "${APP}" (it did not exist)`)
    expect(await tables(APP)).toEqual(['_okra_migrations', 'notes', 'users'])

    // The second project is not "Already up to date" because of the first one's ledger.
    expect((await b.run('db:migrate:snapshot', '--force', '--name', 'second')).code).toBe(0)
    const upB = await b.run('migrate:up', '--json')
    expect(upB.code).toBe(0)
    expect(JSON.parse(upB.stdout)).toMatchObject({ applied: [{ id: b.p.migrations()[0] }], createdSchema: APP2 })
    expect(await tables(APP2)).toEqual(['_okra_migrations', 'tags', 'users'])
    expect(await tables(APP)).toEqual(['_okra_migrations', 'notes', 'users'])
    expect(await tables('public')).toEqual(['users'])

    // Each status knows only its own migration: none "folder is missing".
    for (const [own, other] of [[a, b], [b, a]] as const) {
      const status = JSON.parse((await own.run('migrate:status', '--json')).stdout)
      expect(status.migrations.map((m: { id: string }) => m.id)).toEqual(own.p.migrations())
      expect(status.migrations.map((m: { id: string }) => m.id)).not.toContain(other.p.migrations()[0])
      expect(status.pending).toBe(0)
    }
    expect(await sql(`SELECT id FROM ${JSON.stringify(APP)}._okra_migrations`)).toEqual([{ id: a.p.migrations()[0] }])
    expect(await sql(`SELECT id FROM ${JSON.stringify(APP2)}._okra_migrations`)).toEqual([{ id: b.p.migrations()[0] }])

    // Rows in each project's User table; a reset of A drops A's tables only.
    await sql(`INSERT INTO ${JSON.stringify(APP)}.users VALUES (1, 'a@example.com'); INSERT INTO ${JSON.stringify(APP2)}.users VALUES (2, 'b@example.com')`)
    const reset = await a.run('db:reset', '--force')
    expect(reset.code).toBe(0)
    expect(await sql(`SELECT count(*)::int AS n FROM ${JSON.stringify(APP)}.users`)).toEqual([{ n: 0 }])
    expect(await sql(`SELECT id, email FROM ${JSON.stringify(APP2)}.users`)).toEqual([{ id: 2, email: 'b@example.com' }])
    expect(await tables(APP2)).toEqual(['_okra_migrations', 'tags', 'users'])
    expect(await sql(`SELECT id, email FROM public.users`)).toEqual([{ id: 1, email: 'keep@example.com' }])
  })

  it('db:sync on a missing schema creates it and the tables there, not in public', async () => {
    const c = project(TENANT, SCHEMA_A)
    const synced = await c.run('db:sync')
    expect(synced.code).toBe(0)
    expect(synced.stdout).toContain(`Created schema "${TENANT}" (it did not exist)`)
    expect(await tables(TENANT)).toEqual(['_okra_state', 'notes', 'users'])
    expect(await tables('public')).toEqual(['users'])
    // Synced again: nothing to create, nothing said.
    const again = await c.run('db:sync', '--json')
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: false, createdSchema: null })
  })

  it('db:reset on an empty schema drops nothing in public', async () => {
    await sql(`CREATE SCHEMA ${JSON.stringify(EMPTY)}`)
    const d = project(EMPTY, SCHEMA_B)
    expect((await d.run('db:reset', '--force')).code).toBe(0)
    expect(await sql(`SELECT id, email FROM public.users`)).toEqual([{ id: 1, email: 'keep@example.com' }])
    expect(await tables(EMPTY)).toEqual(['_okra_state', 'tags', 'users'])
  })

  it.runIf(pgdb.serverOnly('two sessions holding advisory locks'))('the migration lock of one schema does not block the other', async () => {
    const holder = await openDriver(urlFor(APP))
    try {
      const release = await holder.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
      const other = await openDriver(urlFor(APP2))
      try {
        const got = await other.lock(MIGRATION_LOCK, { timeoutMs: 200 })
        await got()
        const same = await openDriver(urlFor(APP))
        await expect(same.lock(MIGRATION_LOCK, { timeoutMs: 200 })).rejects.toThrow(/Could not take the lock "migrate"/)
        await same.close()
      } finally {
        await other.close()
      }
      await release()
    } finally {
      await holder.close()
    }
  })

  it('backups of a sync go to the schema of its own project, and its reset drops only those', async () => {
    const { sync } = await import('../../src/sync/sync')
    const { reset } = await import('../../src/sync/reset')
    const b = project(APP2, SCHEMA_B)
    await sql(`INSERT INTO ${JSON.stringify(APP2)}.tags VALUES (1, 'kept in the backup')`)
    b.p.schema('model User {\n  id: Int! @id\n  email: String!\n}\n')
    const result = await sync({ cwd: b.p.root, backup: true, acceptDataLoss: true })
    expect(result.backup).toMatchObject({ kind: 'tables', schema: `okra_backup_${APP2}` })
    const c = project(TENANT, SCHEMA_A)
    await reset({ cwd: c.p.root, force: true })
    expect(await sql(`SELECT 1 AS found FROM pg_namespace WHERE nspname = $1`, [`okra_backup_${APP2}`])).toEqual([{ found: 1 }])
    await reset({ cwd: b.p.root, force: true })
    expect(await sql(`SELECT 1 AS found FROM pg_namespace WHERE nspname = $1`, [`okra_backup_${APP2}`])).toEqual([])
  })
})
