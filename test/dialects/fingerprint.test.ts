/**
 * The structure fingerprint that lets sync skip introspection: every kind of DDL that can change what
 * introspection reads must change it (a change it missed would make sync trust a stale schema), and
 * what changes no structure (data, VACUUM, ANALYZE) must not (that would only cost an introspection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Driver, openDriver } from '../../src/dialects/index'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir } from '../helpers/tmp'

const pgdb = await usePgDatabase()

const SETUP = [
  `CREATE TYPE "mood" AS ENUM ('HAPPY', 'SAD')`,
  `CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT, "mood" "mood", "age" INTEGER)`,
  `CREATE TABLE "posts" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "title" TEXT)`,
  `CREATE FUNCTION "touch"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
]

/** Each changes the structure introspection reads; applied one after another, the fingerprint must move every time. */
const POSTGRES_DDL = [
  'ALTER TABLE "users" ADD COLUMN "email" TEXT',
  'ALTER TABLE "users" ALTER COLUMN "age" TYPE BIGINT',
  'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',
  `ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT 'x'`,
  `ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT 'y'`,
  'ALTER TABLE "users" ALTER COLUMN "name" DROP DEFAULT',
  'ALTER TABLE "users" RENAME COLUMN "email" TO "mail"',
  'ALTER TABLE "users" DROP COLUMN "mail"',
  'CREATE INDEX "users_name_idx" ON "users" ("name")',
  'ALTER INDEX "users_name_idx" RENAME TO "users_name_index"',
  'DROP INDEX "users_name_index"',
  'ALTER TABLE "users" ADD CONSTRAINT "users_name_key" UNIQUE ("name")',
  'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")',
  'ALTER TABLE "posts" DROP CONSTRAINT "posts_user_id_fkey"',
  `ALTER TYPE "mood" ADD VALUE 'ANGRY'`,
  `ALTER TYPE "mood" RENAME VALUE 'SAD' TO 'BLUE'`,
  'ALTER TYPE "mood" RENAME TO "feeling"',
  'CREATE TRIGGER "users_touch" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "touch"()',
  'DROP TRIGGER "users_touch" ON "users"',
  'ALTER TABLE "posts" RENAME TO "articles"',
  'CREATE TABLE "tags" ("id" INTEGER NOT NULL PRIMARY KEY)',
  'DROP TABLE "tags"',
]

/** No structure changes: the fingerprint must stay. */
const POSTGRES_NO_DDL = [`INSERT INTO "users" ("id", "name", "age") VALUES (1, 'a', 2)`, `UPDATE "users" SET "age" = 3`, 'DELETE FROM "users"', 'VACUUM "users"', 'ANALYZE "users"']

describe(`the structure fingerprint on PostgreSQL (${pgdb.mode})`, () => {
  let driver: Driver
  beforeAll(async () => {
    await pgdb.reset()
    driver = await openDriver(pgdb.url)
    for (const statement of SETUP) await driver.query(statement)
  })
  afterAll(() => driver.close())

  it('moves with every kind of DDL, in and out of a transaction', async () => {
    // Against the one just before: an index created and dropped again leaves the catalog, and so the fingerprint, as it was.
    let before = await driver.fingerprint()
    for (const statement of POSTGRES_DDL) {
      await driver.query(statement)
      const after = await driver.fingerprint()
      expect(after, `unchanged after: ${statement}`).not.toBe(before)
      before = after
    }
    // Inside the sync's transaction it sees the transaction's own DDL.
    await driver.transaction(async (tx) => {
      const before = await driver.fingerprint(tx)
      await tx.query('ALTER TABLE "users" ADD COLUMN "inside" TEXT')
      expect(await driver.fingerprint(tx)).not.toBe(before)
    })
  })

  it('stays the same through data changes, VACUUM and ANALYZE', async () => {
    const before = await driver.fingerprint()
    for (const statement of POSTGRES_NO_DDL) await driver.query(statement)
    expect(await driver.fingerprint()).toBe(before)
  })
})

describe('the structure fingerprint on SQLite', () => {
  it('moves with DDL and stays through data changes', async () => {
    const driver = await openDriver(`sqlite://${makeTempDir('okra-fingerprint-')}/dev.db`)
    try {
      await driver.query('CREATE TABLE "users" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT)')
      const created = await driver.fingerprint()
      await driver.query(`INSERT INTO "users" ("id", "name") VALUES (1, 'a')`)
      expect(await driver.fingerprint()).toBe(created)
      await driver.query('CREATE INDEX "users_name_idx" ON "users" ("name")')
      expect(await driver.fingerprint()).not.toBe(created)
    } finally {
      await driver.close()
    }
  })
})
