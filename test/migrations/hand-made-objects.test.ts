/**
 * Indexes and triggers made by hand in a migration's SQL survive a SQLite table rebuild (a change SQLite
 * cannot make in place drops the old table, and everything on it, then creates what the schema declares):
 * through `db:sync` and through `migrate:up`'s derived SQL, as whole okra processes. One the rebuild
 * cannot keep (it uses a column the change removes) stops the change, which leaves the database as it was;
 * one the script itself drops stays dropped.
 */
import { describe, expect, it } from 'vitest'
import { sqlite } from '../../src/dialects/sqlite/index'
import { updatedAtTriggerName } from '../../src/sql/names'
import { okraProcess } from '../helpers/okra-process'
import { type TestProject, makeProject } from './project'

const V1 = 'model User {\n  id: ID! @default(uuid)\n  email: String!\n  name: String?\n}\n'
/** `name` becomes required: SQLite rebuilds the table. */
const NAME_REQUIRED = V1.replace('name: String?', 'name: String! @default("x")')
/** `name` goes while `email` becomes optional: a rebuild whose new table has no `name`. */
const NAME_GONE = V1.replace('  name: String?\n', '').replace('email: String!', 'email: String?')
const HAND_MADE = 'CREATE INDEX "users_name_lower" ON "users" (lower("name"));\nCREATE TRIGGER "users_audit" AFTER UPDATE ON "users" BEGIN SELECT 1; END;\n'
const BOTH = ['trigger users_audit', 'index users_name_lower']

const okra = (p: TestProject, ...args: string[]) => okraProcess(args, { cwd: p.root })

/** The indexes and triggers on users that were written as SQL (not SQLite's own autoindexes). */
async function objects(p: TestProject): Promise<string[]> {
  const driver = await p.open()
  try {
    const rows = await driver.query<{ type: string; name: string }>(
      `SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'users' AND sql IS NOT NULL ORDER BY name`,
    )
    return rows.map((r) => `${r.type} ${r.name}`)
  } finally {
    await driver.close()
  }
}

async function columns(p: TestProject): Promise<string[]> {
  const users = (await p.introspect()).tables.find((t) => t.name === 'users')!
  return users.columns.map((c) => `${c.name}${c.nullable ? '?' : ''}`)
}

/** A project whose history is V1, then a migration written by hand that makes HAND_MADE, applied to its database. */
async function withHandMade(): Promise<TestProject> {
  const p = makeProject()
  p.schema(V1)
  await p.snapshot('init')
  const created = okra(p, 'db:migrate:create', '--name', 'by_hand', '--force')
  expect(created.code, created.stderr).toBe(0)
  const folder = p.migrations().find((id) => id.endsWith('_by_hand'))!
  p.write(`migrations/${folder}/migration.sql`, HAND_MADE)
  const up = okra(p, 'migrate:up')
  expect(up.code, up.stderr).toBe(0)
  expect(await objects(p)).toEqual(BOTH)
  return p
}

describe('indexes and triggers made by hand, through a SQLite table rebuild', () => {
  it('db:sync keeps them, and records the database with them (the next sync has nothing to do)', async () => {
    const p = await withHandMade()
    p.schema(NAME_REQUIRED)
    const sync = okra(p, 'db:sync', '--accept-data-loss')
    expect(sync.code, sync.stderr).toBe(0)
    expect(await columns(p)).toEqual(['id', 'email', 'name'])
    expect(await objects(p)).toEqual(BOTH)
    const again = okra(p, 'db:sync')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('Already in sync')
    expect(again.stderr).not.toContain('changed outside OKRA')
  })

  it("migrate:up keeps them through a migration's derived rebuild", async () => {
    const p = await withHandMade()
    p.schema(NAME_REQUIRED)
    await p.snapshot('name_required')
    const up = okra(p, 'migrate:up')
    expect(up.code, up.stderr).toBe(0)
    expect(await columns(p)).toEqual(['id', 'email', 'name'])
    expect(await objects(p)).toEqual(BOTH)
  })

  it('a rebuild that removes a column one of them uses stops with what to do, and changes nothing', async () => {
    const p = await withHandMade()
    p.schema(NAME_GONE)
    const sync = okra(p, 'db:sync', '--accept-data-loss')
    expect(sync.code).toBe(1)
    expect(sync.stderr).toContain('The index "users_name_lower" on table users, made by hand (no schema declares it), cannot be kept through the rebuild of that table')
    expect(sync.stderr).toContain('DROP INDEX "users_name_lower"')
    expect(sync.stderr).not.toMatch(/\n\s+at /)
    expect(await columns(p)).toEqual(['id', 'email', 'name?'])
    expect(await objects(p)).toEqual(BOTH)
  })

  it('a column one of them uses, dropped without a rebuild, is refused by SQLite: the error says which and what to do', async () => {
    const p = await withHandMade()
    p.schema(V1.replace('  name: String?\n', ''))
    const sync = okra(p, 'db:sync', '--accept-data-loss')
    expect(sync.code).toBe(1)
    expect(sync.stderr).toContain('The index users_name_lower, made by hand (no schema declares it), uses the column this change drops')
    expect(sync.stderr).toContain('DROP INDEX "users_name_lower"')
    expect(await columns(p)).toEqual(['id', 'email', 'name?'])
    expect(await objects(p)).toEqual(BOTH)
  })

  it("one the script drops itself stays dropped, and OKRA's own @updatedAt trigger is never carried; a script without a rebuild is left alone", async () => {
    const p = await withHandMade()
    const driver = await p.open()
    try {
      // As a field with @updatedAt leaves it: the rebuilt table no longer has the trigger.
      await driver.query(`CREATE TRIGGER "${updatedAtTriggerName('users', 'email')}" AFTER UPDATE ON "users" BEGIN SELECT 1; END`)
      const rebuild = [
        'DROP INDEX "users_name_lower"',
        'CREATE TABLE "_okra_new_users" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "name" TEXT NOT NULL DEFAULT \'x\')',
        'INSERT INTO "_okra_new_users" ("id", "email", "name") SELECT "id", "email", COALESCE("name", \'x\') FROM "users"',
        'DROP TABLE "users"',
        'ALTER TABLE "_okra_new_users" RENAME TO "users"',
      ].join(';\n')
      await driver.transaction((tx) => sqlite.keepThroughRebuilds(tx, rebuild, () => tx.exec(rebuild)))
      expect(await objects(p)).toEqual(['trigger users_audit'])
      // No rebuild in the script: nothing is read or created.
      const plain = 'DROP TRIGGER "users_audit"'
      await driver.transaction((tx) => sqlite.keepThroughRebuilds(tx, plain, () => tx.exec(plain)))
      expect(await objects(p)).toEqual([])
    } finally {
      await driver.close()
    }
  })
})
