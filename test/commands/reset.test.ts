import { backupSchemaOf } from '../../src/dialects/postgres/backup'
import { describe, expect, it } from 'vitest'
import { reset } from '../../src/sync/reset'
import { readDatabaseState } from '../../src/sync/record'
import { schemaHash } from '../../src/schema/canonical'
import { okra } from '../cli/capture'
import { schemaOf } from '../diff/helpers'
import { usePgDatabase } from '../helpers/pg'
import { count, syncProject } from '../sync/helpers'

const pgdb = await usePgDatabase()

const SCHEMA = `enum Role { ADMIN USER }
model User {
  id: Int! @id
  role: Role! @default(USER)
  updatedAt: DateTime! @default(now) @updatedAt
}
`
const OLD = 'model Legacy {\n  id: Int! @id\n}\n'

describe('db:reset', () => {
  it('is refused in the production environment without --force, and changes nothing', async () => {
    const p = syncProject({ schema: SCHEMA, environments: { production: {} } })
    await p.sync({ env: 'production' })
    const driver = await p.open()
    await driver.query('INSERT INTO users (id) VALUES (1)')
    const r = await okra(['db:reset', '--env', 'production'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'error: Refusing to reset the database of the production environment: it would drop every table OKRA manages\nhint: If you really mean it, run it again with --force.\n',
    )
    expect(await count(driver, 'users')).toBe(1)
    expect((await okra(['db:reset', '--env', 'production', '--force'], { cwd: p.root })).code).toBe(0)
    expect(await count(driver, 'users')).toBe(0)
  })

  it('without a terminal it needs --force; a "no" at the prompt cancels', async () => {
    const p = syncProject({ schema: SCHEMA })
    await p.sync()
    const driver = await p.open()
    await driver.query('INSERT INTO users (id) VALUES (1)')
    const r = await okra(['db:reset'], { cwd: p.root })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('hint: Run it again with --force to reset without asking.')
    await expect(reset({ cwd: p.root, processEnv: {}, confirm: async () => false })).rejects.toThrow('Reset cancelled: nothing was changed')
    expect(await count(driver, 'users')).toBe(1)
  })

  it.each([
    ['SQLite', () => syncProject({ schema: OLD })],
    [`PostgreSQL (${pgdb.mode})`, () => syncProject({ schema: OLD, url: pgdb.url })],
  ])('on %s: drops what OKRA manages (also what it last synced to), keeps other tables, re-creates', async (_label, makeProject) => {
    await pgdb.reset()
    const p = makeProject()
    await p.sync()
    const driver = await p.open()
    await driver.query('CREATE TABLE "not_okras" ("id" INTEGER PRIMARY KEY)')
    await driver.query('INSERT INTO "not_okras" VALUES (1)')
    // The schema moves on without a sync: reset still drops the table the database was synced to.
    p.write(SCHEMA)
    if (driver.provider === 'postgres') {
      await driver.query(`CREATE SCHEMA "${backupSchemaOf(driver.target.schema!)}"`)
      await driver.query(`CREATE TABLE "${backupSchemaOf(driver.target.schema!)}".old_rows (id INTEGER)`)
    }
    const asked: string[] = []
    const result = await reset({ cwd: p.root, processEnv: {}, confirm: async (q) => (asked.push(q), true) })
    expect(asked[0]).toMatch(/^Drop every table OKRA manages in .* and build them again\? All their rows are lost\.$/)
    expect(result.dropped).toEqual(expect.arrayContaining(['_okra_state', 'legacies', 'users']))
    expect(result.created).toEqual(driver.provider === 'postgres' ? ["+ Added enum 'Role'", "+ Added model 'User'"] : ["+ Added model 'User'"])
    // Apart from the table OKRA does not manage, the database is the schema.
    expect(await p.drift(driver)).toEqual(["- Removed model 'not_okras'"])
    expect((await driver.introspect()).tables.map((t) => t.name)).toEqual(['not_okras', 'users'])
    expect(await count(driver, 'not_okras')).toBe(1)
    expect((await readDatabaseState(driver))?.schemaHash).toBe(schemaHash(schemaOf(SCHEMA)))
    if (driver.provider === 'postgres') expect(await driver.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [backupSchemaOf(driver.target.schema!)])).toEqual([])
    // The @updatedAt trigger works after the reset.
    await driver.query(`INSERT INTO users (id, updated_at) VALUES (1, '2000-01-01T00:00:00.000Z')`)
    await driver.query(`UPDATE users SET role = 'ADMIN'`)
    const [row] = await driver.query<{ updated_at: unknown }>('SELECT updated_at FROM users')
    expect(String(row!.updated_at instanceof Date ? row!.updated_at.toISOString() : row!.updated_at)).not.toMatch(/^2000/)
    // The reset recorded the database: the next sync takes the fast path and leaves that table alone too.
    const next = await p.sync()
    expect(next).toMatchObject({ applied: false, source: 'current' })
    expect(await count(driver, 'not_okras')).toBe(1)
  })
})
