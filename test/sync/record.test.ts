/**
 * Sync's record behind the fast path: `_okra_state` (hash and structure fingerprint, written with the
 * changes) and `migrations/current/schema.json`, and the repair by introspection when either is stale,
 * missing, or the database was changed behind OKRA's back.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDatabaseState } from '../../src/sync/record'
import { canonicalJSON, schemaHash } from '../../src/schema/canonical'
import { schemaOf } from '../diff/helpers'
import { usePgDatabase } from '../helpers/pg'
import { count, syncAndCheck, syncProject } from './helpers'

const pgdb = await usePgDatabase()

const V1 = 'model User {\n  id: Int! @id\n  name: String?\n}\n'
const V2 = 'model User {\n  id: Int! @id\n  name: String?\n  phone: String?\n}\n'

describe.each([
  ['SQLite', () => syncProject({ schema: V1 })],
  [`PostgreSQL (${pgdb.mode})`, () => syncProject({ schema: V1, url: pgdb.url })],
])('sync state on %s', (_label, makeProject) => {
  it('records the schema hash in _okra_state and current/schema.json; the next sync takes the fast path', async () => {
    await pgdb.reset()
    const p = makeProject()
    const logs: string[] = []
    await syncAndCheck(p, { log: (l) => logs.push(l) })
    expect(logs).toEqual([])
    const driver = await p.open()
    const state = await readDatabaseState(driver)
    const current = readFileSync(join(p.root, 'migrations/current/schema.json'), 'utf8')
    expect(current).toBe(canonicalJSON(schemaOf(V1)))
    expect(state?.schemaHash).toBe(schemaHash(schemaOf(V1)))
    expect(state?.structure).toMatch(/^(sqlite|postgres):/)
    p.write(V2)
    expect((await syncAndCheck(p)).source).toBe('current')
    expect((await readDatabaseState(driver))?.schemaHash).toBe(schemaHash(schemaOf(V2)))
  })

  it('a missing current/ is repaired by introspection, said in one line', async () => {
    await pgdb.reset()
    const p = makeProject()
    await p.sync()
    rmSync(join(p.root, 'migrations/current'), { recursive: true })
    p.write(V2)
    const logs: string[] = []
    const result = await syncAndCheck(p, { log: (l) => logs.push(l) })
    expect(result.source).toBe('introspection')
    expect(result.summaries).toEqual(["+ Added field 'phone' to User"])
    expect(logs).toEqual(['Reading the database instead of migrations/current/schema.json: migrations/current/schema.json is missing.'])
    expect(existsSync(join(p.root, 'migrations/current/schema.json'))).toBe(true)
  })

  it('a current/schema.json that is not what the database was synced to is not trusted', async () => {
    await pgdb.reset()
    const p = makeProject()
    await p.sync()
    writeFileSync(join(p.root, 'migrations/current/schema.json'), canonicalJSON(schemaOf(V2)))
    p.write(V2)
    const result = await syncAndCheck(p)
    expect(result.repair).toBe('migrations/current/schema.json is not what the database was last synced to')
    expect(result.summaries).toEqual(["+ Added field 'phone' to User"])
  })

  it('a change behind OKRA\'s back is seen by the structure fingerprint and undone', async () => {
    await pgdb.reset()
    const p = makeProject()
    await p.sync()
    const driver = await p.open()
    await driver.query('ALTER TABLE "users" ADD COLUMN "sneaky" TEXT')
    const result = await syncAndCheck(p, {}, driver)
    expect(result.repair).toBe('the database was changed outside OKRA since the last sync')
    expect(result.summaries).toEqual(["- Removed field 'sneaky' from User"])
    // An index added by hand is found too.
    await driver.query('CREATE INDEX "by_hand" ON "users" ("name")')
    expect((await syncAndCheck(p, {}, driver)).summaries).toEqual(['- Removed index on User(name)'])
    expect((await p.sync()).source).toBe('current')
  })

  it('a database without a sync record (reset or replaced) is introspected', async () => {
    await pgdb.reset()
    const p = makeProject()
    await p.sync()
    const driver = await p.open()
    await driver.query('DROP TABLE "_okra_state"')
    await driver.query('INSERT INTO "users" ("id") VALUES (1)')
    const result = await syncAndCheck(p, {}, driver)
    expect(result.repair).toBe('the database has no sync record (it was reset or replaced)')
    expect(result.applied).toBe(false)
    expect(await readDatabaseState(driver)).not.toBeNull()
    expect(await count(driver, 'users')).toBe(1)
  })
})

