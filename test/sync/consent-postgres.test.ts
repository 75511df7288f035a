import { backupSchemaOf } from '../../src/dialects/postgres/backup'
import { describe, expect, it } from 'vitest'
import { DataLossError } from '../../src/sync/sync'
import { usePgDatabase } from '../helpers/pg'
import { count, syncAndCheck, syncProject } from './helpers'
import { AFTER, BEFORE, EXPECTED_RISKS, dumpUsers, fillUsers } from './consent'

const pgdb = await usePgDatabase()

async function filledProject() {
  await pgdb.reset()
  const p = syncProject({ schema: BEFORE, url: pgdb.url })
  await syncAndCheck(p)
  const driver = await p.open()
  await fillUsers(driver)
  p.write(AFTER)
  return { p, driver }
}

describe(`destructive changes on PostgreSQL (${pgdb.mode}) need consent`, () => {
  it('without it: DataLossError with the rows of each change; the database structurally and row for row as it was', async () => {
    const { p, driver } = await filledProject()
    const structure = await driver.introspect()
    const rows = await dumpUsers(driver)
    const error = await p.sync().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataLossError)
    for (const risk of EXPECTED_RISKS) expect((error as Error).message).toContain(risk)
    expect(await driver.introspect()).toEqual(structure)
    expect(await dumpUsers(driver)).toEqual(rows)
    // Accepted, the unique index fails on the duplicates: rolled back, nothing changed.
    await expect(p.sync({ acceptDataLoss: true })).rejects.toThrow(/users_email_key/)
    expect(await driver.introspect()).toEqual(structure)
    expect(await dumpUsers(driver)).toEqual(rows)
  })

  it('the same change on empty tables needs no consent', async () => {
    await pgdb.reset()
    const p = syncProject({ schema: BEFORE, url: pgdb.url })
    await p.sync()
    p.write(AFTER)
    expect((await syncAndCheck(p)).dataLoss).toEqual([])
  })

  it('backup: true copies the affected tables into okra_backup first', async () => {
    const { p, driver } = await filledProject()
    p.write(BEFORE.replace('  fax: String?\n', ''))
    const result = await syncAndCheck(p, { backup: true })
    // okra_backup for public; okra_backup_<schema> for a ?schema= (the PGlite fallback's URL has one).
    const backupSchema = backupSchemaOf(driver.target.schema ?? 'public')
    expect(result.backup).toMatchObject({ kind: 'tables', schema: backupSchema })
    const [table] = (result.backup as { tables: string[] }).tables
    expect(table).toMatch(new RegExp(`^${backupSchema}\\."\\d{17}_users"$`))
    expect(await count(driver, 'users')).toBe(1500)
    const [copy] = await driver.query<{ n: string }>(`SELECT COUNT("fax") AS n FROM ${table}`)
    expect(Number(copy!.n)).toBe(1200)
  })

  it('the copies of the newest backups.keep syncs stay, older ones are dropped', async () => {
    const { p, driver } = await filledProject()
    const from = await driver.introspect()
    const backupSchema = backupSchemaOf(driver.target.schema ?? 'public')
    for (let second = 0; second < 3; second++) {
      const now = new Date(Date.UTC(2030, 0, 1, 0, 0, second))
      await driver.transaction((tx) => driver.backup({ root: p.root, tx, from, tables: ['users'], keep: 2, now }))
    }
    const left = await driver.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [backupSchema])
    expect(left.map((t) => t.name)).toEqual(['20300101000001000_users', '20300101000002000_users'])
  })
})
