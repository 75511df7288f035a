/**
 * Transaction control inside a SQL file that OKRA runs in its own transaction. Reproduces the failure an
 * operator met (`COMMIT; CREATE TABLE extra ...;` appended to a migration: "rolled back" was said, but
 * `extra` existed and every later run failed), then the confiture habit of wrapping a file in
 * BEGIN ... COMMIT, for migrations, down.sql and seeds, on SQLite and PostgreSQL, through whole okra processes.
 */
import { beforeEach, describe, expect, it } from 'vitest'
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

async function twoMigrations(url: string | undefined): Promise<TestProject & { ids: string[] }> {
  const p = makeProject({ url })
  p.schema(USERS)
  await p.snapshot('users')
  p.schema(POSTS)
  await p.snapshot('posts')
  return Object.assign(p, { ids: p.migrations() })
}

async function state(p: TestProject) {
  const driver = await p.open()
  try {
    const tables = (await driver.introspect()).tables.map((t) => t.name)
    const ledger = (await readHistory(driver)).map((r) => `${r.id} ${r.status}`)
    return { tables, ledger }
  } finally {
    await driver.close()
  }
}

async function rows(p: TestProject, sql: string) {
  const driver = await p.open()
  try {
    return await driver.query(sql)
  } finally {
    await driver.close()
  }
}

describe.each(PROVIDERS)('on $name', ({ url, reset }) => {
  beforeEach(reset)

  it('a COMMIT inside a migration is refused before any statement, naming file:line and both fixes; nothing changes', async () => {
    const p = await twoMigrations(url)
    expect((await okra(['migrate:up', '--steps', '1'], { cwd: p.root })).code).toBe(0)
    const before = await state(p)
    const file = `migrations/${p.ids[1]}/migration.sql`
    p.write(file, 'CREATE TABLE "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL);\nCOMMIT;\nCREATE TABLE "extra" ("id" INTEGER);\n')

    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`error: ${file} controls the transaction OKRA runs it in (nothing was run):\n  ${file}:2: COMMIT`)
    expect(run.stderr).toContain('Remove those statements')
    expect(run.stderr).toContain('-- okra:no-transaction')
    expect(run.stderr).not.toContain('rolled back')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(await state(p)).toEqual(before)

    // Removing the stray COMMIT is the fix: the migration then applies with its record.
    p.write(file, 'CREATE TABLE "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL);\nCREATE TABLE "extra" ("id" INTEGER);\n')
    expect((await okra(['migrate:up'], { cwd: p.root })).code).toBe(0)
    expect(await state(p)).toEqual({ tables: ['extra', 'posts', 'users'], ledger: [`${p.ids[0]} applied`, `${p.ids[1]} applied`] })
  })

  it('a file wrapped whole in BEGIN; ... COMMIT; runs as one transaction with its record, and a failure in it rolls all back', async () => {
    const p = await twoMigrations(url)
    const file = `migrations/${p.ids[1]}/migration.sql`
    p.write(file, 'BEGIN;\nCREATE TABLE "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL);\nINSERT INTO "posts" VALUES (1, \'a\');\nINSERT INTO "nope" VALUES (1);\nCOMMIT;\n')
    const failed = await okra(['migrate:up'], { cwd: p.root })
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(`failed (${file}, line 4). It was rolled back`)
    expect(await state(p)).toEqual({ tables: ['users'], ledger: [`${p.ids[0]} applied`] })

    p.write(file, 'BEGIN;\nCREATE TABLE "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL);\nINSERT INTO "posts" VALUES (1, \'a\');\nCOMMIT;\n')
    expect((await okra(['migrate:up'], { cwd: p.root })).code).toBe(0)
    expect(await state(p)).toEqual({ tables: ['posts', 'users'], ledger: [`${p.ids[0]} applied`, `${p.ids[1]} applied`] })
    expect(await rows(p, 'SELECT "id" FROM "posts"')).toEqual([{ id: 1 }])
  })

  it('a ROLLBACK in down.sql is refused before any statement; the migration stays applied', async () => {
    const p = await twoMigrations(url)
    expect((await okra(['migrate:up'], { cwd: p.root })).code).toBe(0)
    p.write(`migrations/${p.ids[1]}/down.sql`, 'DROP TABLE "posts";\nROLLBACK;\n')
    const run = await okra(['migrate:down', '--force'], { cwd: p.root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`migrations/${p.ids[1]}/down.sql:2: ROLLBACK`)
    expect(await state(p)).toEqual({ tables: ['posts', 'users'], ledger: [`${p.ids[0]} applied`, `${p.ids[1]} applied`] })
  })

  it('seeds: a stray SAVEPOINT is refused, a wrapped file runs, a -- okra:no-transaction file keeps its own transactions', async () => {
    const p = await twoMigrations(url)
    expect((await okra(['migrate:up'], { cwd: p.root })).code).toBe(0)
    p.write('seeds/01-users.sql', "INSERT INTO users (id, email) VALUES (1, 'a@x');\nSAVEPOINT s;\nINSERT INTO users (id, email) VALUES (2, 'b@x');\n")
    const refused = await okra(['db:seed'], { cwd: p.root })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('seeds/01-users.sql:2: SAVEPOINT s')
    expect(await rows(p, 'SELECT id FROM users')).toEqual([])

    p.write('seeds/01-users.sql', "BEGIN;\nINSERT INTO users (id, email) VALUES (1, 'a@x');\nCOMMIT;\n")
    p.write('seeds/02-posts.sql', "-- okra:no-transaction\nBEGIN;\nINSERT INTO posts (id, title) VALUES (1, 'kept');\nCOMMIT;\nBEGIN;\nINSERT INTO posts (id, title) VALUES (2, 'undone');\nROLLBACK;\n")
    const seeded = await okra(['db:seed'], { cwd: p.root })
    expect(seeded.stderr).toBe('')
    expect(seeded.code).toBe(0)
    expect(await rows(p, 'SELECT id FROM users')).toEqual([{ id: 1 }])
    expect(await rows(p, 'SELECT id FROM posts')).toEqual([{ id: 1 }])
  })

  it('a -- okra:no-transaction migration that fails says exactly which statements stay applied', async () => {
    const p = await twoMigrations(url)
    const file = `migrations/${p.ids[1]}/migration.sql`
    p.write(file, '-- okra:no-transaction\nCREATE TABLE "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL);\nCREATE TABLE "more" ("id" INTEGER);\nINSERT INTO "nope" VALUES (1);\nCREATE TABLE "never" ("id" INTEGER);\n')
    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`failed (${file}, line 4). It ran outside a transaction: the 2 statements before it (lines 2-3) stay applied; nothing after it ran. It is recorded as failed.`)
    expect(await state(p)).toEqual({ tables: ['more', 'posts', 'users'], ledger: [`${p.ids[0]} applied`, `${p.ids[1]} failed`] })
  })
})
