/**
 * What stops a run, and what a failure leaves behind: a changed applied migration (one byte; line endings
 * do not count), a SQL file for the other provider (never applied), a statement failing half way (all of
 * the migration rolled back), and a `-- okra:no-transaction` migration failing (recorded, blocking).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { migrateUp } from '../../src/migrations/up'
import { readHistory } from '../../src/migrations/history'
import { okra } from '../cli/capture'
import { usePgDatabase } from '../helpers/pg'
import { type TestProject, makeProject } from './project'

const pgdb = await usePgDatabase()

const PROVIDERS = [
  { name: 'SQLite', url: undefined, reset: async () => undefined },
  { name: 'PostgreSQL', url: pgdb.url, reset: () => pgdb.reset() },
]

const USERS = 'model User {\n  id: Int! @id\n  email: String!\n}\n'
const POSTS = USERS + 'model Post {\n  id: Int! @id\n  title: String!\n}\n'
const TAGS = POSTS + 'model Tag {\n  id: Int! @id\n}\n'

/** A project with three migrations (users, posts, tags), with migration.sql files when `sql`. */
async function threeMigrations(url: string | undefined, sql = true): Promise<TestProject & { ids: string[] }> {
  const provider = url?.startsWith('postgres') ? 'postgres' : 'sqlite'
  const config = (dbUrl: string) => ({ database: { provider, url: dbUrl, schemas: ['./models.okra.gql'], migrations: { generateSQL: sql } } })
  const p = makeProject({ url, config: url ? config(url) : undefined })
  if (!url) p.write('okra.config.json', JSON.stringify(config(p.url)))
  for (const [name, schema] of [['users', USERS], ['posts', POSTS], ['tags', TAGS]] as const) {
    p.schema(schema)
    await p.snapshot(name)
  }
  return Object.assign(p, { ids: p.migrations() })
}

async function history(p: TestProject) {
  const driver = await p.open()
  try {
    return (await readHistory(driver)).map((r) => `${r.id} ${r.status} ${r.checksum}`)
  } finally {
    await driver.close()
  }
}

const tableNames = async (p: TestProject) => (await p.introspect()).tables.map((t) => t.name)

describe.each(PROVIDERS)('on $name', ({ url, reset }) => {
  beforeEach(reset)

  it('one changed byte in an applied migration stops the run before any SQL, naming the file and both checksums', async () => {
    const p = await threeMigrations(url)
    await migrateUp({ cwd: p.root, steps: 2 })
    const recorded = await history(p)
    const file = `migrations/${p.ids[0]}/migration.sql`
    p.write(file, p.read(file).replace('"users"', '"userz"'))

    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`Migration ${p.ids[0]} was changed after it was applied: ${file} changed. Nothing was run.`)
    const checksums = [...run.stderr.matchAll(/checksum (?:when applied|now): +([0-9a-f]{64})/g)].map((m) => m[1])
    expect(checksums).toHaveLength(2)
    expect(checksums[0]).not.toBe(checksums[1])
    expect(run.stderr).toContain(`okra migrate:resolve --applied ${p.ids[0]}`)
    expect(await history(p)).toEqual(recorded)
    expect(await tableNames(p)).toEqual(['posts', 'users']) // tags, the pending one, was not applied

    // The way out when the edit is intended: record the files as they are now.
    expect((await okra(['migrate:resolve', '--applied', p.ids[0]!], { cwd: p.root })).code).toBe(0)
    expect((await okra(['migrate:up'], { cwd: p.root })).code).toBe(0)
    expect(await tableNames(p)).toEqual(['posts', 'tags', 'users'])
  })

  it('does not count line-ending changes as changes', async () => {
    const p = await threeMigrations(url)
    await migrateUp({ cwd: p.root, steps: 2 })
    for (const id of p.ids) {
      for (const name of readdirSync(join(p.root, 'migrations', id))) {
        const path = join(p.root, 'migrations', id, name)
        writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'))
      }
    }
    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.stderr).toBe(`Applied [1/1] ${p.ids[2]} (${/\((\d+) ms\)/.exec(run.stderr)![1]} ms)\n`)
    expect(run.code).toBe(0)
    expect((await okra(['migrate:status', '--exit-code'], { cwd: p.root })).code).toBe(0)
  })

  it('a statement failing half way leaves the schema and _okra_migrations as they were, showing the statement and its line', async () => {
    const p = await threeMigrations(url, false)
    await migrateUp({ cwd: p.root, steps: 2 })
    const [tables, recorded] = [await p.introspect(), await history(p)]
    const file = `migrations/${p.ids[2]}/migration.sql`
    p.write(file, 'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "tags" ("id") VALUES (1);\n\nINSERT INTO "no_such_table" ("id")\n  VALUES (2);\nCREATE TABLE "never" ("id" INTEGER);\n')

    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`error: Migration ${p.ids[2]} failed (${file}, line 4). It was rolled back: the database and _okra_migrations are as they were before it.`)
    expect(run.stderr).toContain('INSERT INTO "no_such_table" ("id")')
    expect(run.stderr).toMatch(/no_such_table/)
    expect(await p.introspect()).toEqual(tables)
    expect(await history(p)).toEqual(recorded)
  })

  it('never applies a migration.sql written for the other provider', async () => {
    const p = await threeMigrations(url, false)
    const other = url ? 'sqlite' : 'postgres'
    p.write(`migrations/${p.ids[0]}/migration.sql`, `-- okra:provider ${other}\nTHIS IS NOT SQL;\n`)
    p.write(`migrations/${p.ids[1]}/migration.${other}.sql`, 'THIS IS NOT SQL EITHER;\n')
    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`warning: migrations/${p.ids[0]}/migration.sql is for ${other}, not ${url ? 'postgres' : 'sqlite'}: not applied`)
    expect(run.stderr).toContain(`warning: migrations/${p.ids[1]}/migration.${other}.sql is for ${other}`)
    expect(await tableNames(p)).toEqual(['posts', 'tags', 'users'])
  })

  it('a -- okra:no-transaction migration runs outside a transaction; when it fails it is recorded as failed and blocks later runs until resolved', async () => {
    const p = await threeMigrations(url, false)
    await migrateUp({ cwd: p.root, steps: 2 })
    const index = url ? 'CREATE INDEX CONCURRENTLY' : 'CREATE INDEX'
    const file = `migrations/${p.ids[2]}/migration.sql`
    p.write(file, `-- okra:no-transaction\n${index} "users_email_idx" ON "users" ("email");\n${index} "users_nope_idx" ON "users" ("nope");\n`)

    const failed = await okra(['migrate:up'], { cwd: p.root })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(`(${file}, line 3). It ran outside a transaction: the statement before it (line 2) stays applied; nothing after it ran. It is recorded as failed.`)
    expect((await p.introspect()).tables.find((t) => t.name === 'users')!.indexes.map((i) => i.name)).toEqual(['users_email_idx'])
    expect((await history(p))[2]).toMatch(new RegExp(`^${p.ids[2]} failed `))

    // Later runs refuse, before any SQL, until a person says what happened.
    p.schema(TAGS + 'model Extra {\n  id: Int! @id\n}\n')
    await p.snapshot('extra')
    const blocked = await okra(['migrate:up'], { cwd: p.root })
    expect(blocked.code).toBe(1)
    expect(blocked.stderr).toContain(`Migration ${p.ids[2]} failed on`)
    expect(blocked.stderr).toContain(`okra migrate:resolve --rolled-back ${p.ids[2]}`)
    expect(await tableNames(p)).toEqual(['posts', 'users'])
    const status = await okra(['migrate:status', '--exit-code'], { cwd: p.root })
    expect(status.code).toBe(2)
    expect(status.stdout).toMatch(new RegExp(`✗ ${p.ids[2]}\\s+failed`))

    // Undone by hand and fixed: resolved as rolled back, it runs again.
    const driver = await p.open()
    await driver.query('DROP INDEX "users_email_idx"')
    await driver.close()
    p.write(file, `-- okra:no-transaction\n${index} "users_email_idx" ON "users" ("email");\nCREATE TABLE "tags" ("id" INTEGER PRIMARY KEY);\n`)
    expect((await okra(['migrate:resolve', '--rolled-back', p.ids[2]!], { cwd: p.root })).code).toBe(0)
    const fixed = await okra(['migrate:up'], { cwd: p.root })
    expect(fixed.code).toBe(0)
    expect(await tableNames(p)).toEqual(['extras', 'posts', 'tags', 'users'])
    expect((await history(p)).map((line) => line.split(' ')[1])).toEqual(['applied', 'applied', 'applied', 'applied'])
  })
})
