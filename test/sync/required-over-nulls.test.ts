/**
 * Making a field required over rows that hold NULL (or adding a required field to a table with rows):
 * with a `@default` the rows get it; without one `db:sync` stops before changing anything, with the row
 * count and the ways out, never a raw driver error, also with --accept-data-loss and in the dev server's
 * auto-sync (which takes no backup for a change that will not run).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { OkraContext } from '../../src/plugin/context'
import type { Provider } from '../../src/schema/physical-types'
import { captureLogger, nextEvent } from '../plugin/project'
import { usePgDatabase } from '../helpers/pg'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

const pgdb = await usePgDatabase()

const OPTIONAL = 'model User {\n  id: Int! @id\n  name: String!\n  phone: String?\n}\n'
const REQUIRED = 'model User {\n  id: Int! @id\n  name: String!\n  phone: String!\n}\n'
const WITH_DEFAULT = 'model User {\n  id: Int! @id\n  name: String!\n  phone: String! @default("unknown")\n}\n'
const NEW_REQUIRED = 'model User {\n  id: Int! @id\n  name: String!\n  phone: String?\n  country: String!\n}\n'

function project(provider: Provider, schema: string): { root: string; url: string } {
  const root = makeTempDir('okra-required-')
  const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(root, 'dev.db')}`
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'] } }),
    'models.okra.gql': schema,
  })
  return { root, url }
}

async function query<T>(root: string, url: string, sql: string): Promise<T[]> {
  const driver = await openDriver(url, { root })
  try {
    return await driver.query<T>(sql)
  } finally {
    await driver.close()
  }
}

async function seed(root: string, url: string): Promise<void> {
  await query(root, url, `INSERT INTO "users" ("id", "name", "phone") VALUES (1, 'Ada', NULL), (2, 'Bob', NULL), (3, 'Cy', '555-0100')`)
}

describe.each(['sqlite', 'postgres'] as const)('required over NULL rows on %s', (provider) => {
  beforeEach(async () => {
    if (provider === 'postgres') await pgdb.reset()
  })

  it('without a default: refused before any change, with the count and the fixes, also with --accept-data-loss', async () => {
    const { root, url } = project(provider, OPTIONAL)
    expect(okraProcess(['db:sync'], { cwd: root }).code).toBe(0)
    await seed(root, url)
    const file = provider === 'sqlite' ? readFileSync(join(root, 'dev.db')) : undefined
    writeFileSync(join(root, 'models.okra.gql'), REQUIRED)

    for (const args of [['db:sync'], ['db:sync', '--accept-data-loss']]) {
      const r = okraProcess(args, { cwd: root })
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toContain("field 'phone' on User cannot be made required: 2 rows of users hold NULL in phone, and it has no default to fill them")
      expect(r.stderr).toContain('add a default, which fills those rows: phone: String! @default("")')
      expect(r.stderr).toContain('fill the rows first, then sync again: UPDATE "users" SET "phone" = <value> WHERE "phone" IS NULL')
      expect(r.stderr).toContain('keep the field optional: phone: String?')
      expect(r.stderr).not.toMatch(/SQLITE_|23502|constraint|_okra_new/i)
    }
    if (file) expect(readFileSync(join(root, 'dev.db')).equals(file)).toBe(true)
    expect(await query(root, url, `SELECT COUNT(*) AS "n" FROM "users" WHERE "phone" IS NULL`)).toEqual([{ n: provider === 'sqlite' ? 2 : '2' }])

    // The fix the message names: fill the rows, then the same sync goes through.
    await query(root, url, `UPDATE "users" SET "phone" = 'none' WHERE "phone" IS NULL`)
    expect(okraProcess(['db:sync'], { cwd: root })).toMatchObject({ code: 0, stdout: expect.stringContaining("~ Made field 'phone' on User required") })
  })

  it('with a @default: the NULL rows get the default, the others keep their value', async () => {
    const { root, url } = project(provider, OPTIONAL)
    expect(okraProcess(['db:sync'], { cwd: root }).code).toBe(0)
    await seed(root, url)
    writeFileSync(join(root, 'models.okra.gql'), WITH_DEFAULT)
    const r = okraProcess(['db:sync'], { cwd: root })
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(await query(root, url, `SELECT "id", "phone" FROM "users" ORDER BY "id"`)).toEqual([
      { id: 1, phone: 'unknown' },
      { id: 2, phone: 'unknown' },
      { id: 3, phone: '555-0100' },
    ])
  })

  it('a new required field without a default: refused on a table with rows, added to an empty one', async () => {
    const { root, url } = project(provider, OPTIONAL)
    expect(okraProcess(['db:sync'], { cwd: root }).code).toBe(0)
    await seed(root, url)
    writeFileSync(join(root, 'models.okra.gql'), NEW_REQUIRED)
    const refused = okraProcess(['db:sync', '--accept-data-loss'], { cwd: root })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("field 'country' (String!) cannot be added to User: users has 3 rows, which would have no value in it, and it has no default")
    expect(refused.stderr).toContain('add it optional first (country: String?), sync, fill the rows')
    await query(root, url, `DELETE FROM "users"`)
    expect(okraProcess(['db:sync'], { cwd: root })).toMatchObject({ code: 0, stdout: expect.stringContaining("+ Added field 'country' to User") })
  })
})

describe('required over NULL rows in the dev server (plugin auto-sync)', () => {
  it('is refused with the same message, and takes no backup', async () => {
    const { root, url } = project('sqlite', OPTIONAL)
    const logger = captureLogger()
    const ctx = new OkraContext({ root, syncDebounce: 20 }, { logger, processEnv: {} })
    const first = nextEvent(ctx, 'synced')
    await ctx.startDev()
    await first
    await seed(root, url)
    writeFileSync(join(root, 'models.okra.gql'), REQUIRED)
    const synced = nextEvent(ctx, 'synced')
    void ctx.refresh()
    const [outcome] = await synced
    await ctx.close()
    expect(outcome.error?.text).toContain("field 'phone' on User cannot be made required: 2 rows of users hold NULL in phone")
    const line = logger.lines.find((l) => l.startsWith('[okra] sync failed'))
    expect(line).toContain('keep the field optional: phone: String?')
    expect(line).not.toMatch(/SQLITE_|bug in okra/)
    expect(existsSync(join(root, '.okra/backups'))).toBe(false)
  })
})
