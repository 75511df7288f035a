/**
 * db:migrate:snapshot: the net change since the last snapshot, with the renames db:sync saw, written as one
 * migration folder (and SQL files when generateSQL is on); and what happens when the database is not synced.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it, onTestFinished } from 'vitest'
import { migrateUp } from '../../src/migrations/up'
import { sync } from '../../src/sync/sync'
import { openDriver } from '../../src/dialects/index'
import { main } from '../../src/cli'
import { capture, okra } from '../cli/capture'
import { makeProject } from './project'

const USER = (fields: string, extra = '') => `model User {\n  id: Int! @id\n${fields}\n}\n${extra}`

async function syncedProject(schema: string) {
  const p = makeProject({ schema })
  await sync({ cwd: p.root })
  await p.snapshot('init')
  return p
}

/** A second, fresh SQLite database for the project's migrations (as production would be). */
async function freshDatabase(p: ReturnType<typeof makeProject>, name: string) {
  const driver = await openDriver(`sqlite://${join(p.root, name)}`)
  onTestFinished(() => driver.close())
  return { driver, up: (steps?: number) => migrateUp({ cwd: p.root, driver, steps }) }
}

describe('db:migrate:snapshot', () => {
  it('with nothing to snapshot, says so and writes nothing', async () => {
    const p = await syncedProject(USER('  name: String'))
    const before = readdirSync(join(p.root, 'migrations'))
    const snapshotTime = statSync(join(p.root, 'migrations/snapshot/schema.json')).mtimeMs
    const run = await okra(['db:migrate:snapshot'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Nothing to snapshot')
    expect(readdirSync(join(p.root, 'migrations'))).toEqual(before)
    expect(statSync(join(p.root, 'migrations/snapshot/schema.json')).mtimeMs).toBe(snapshotTime)
  })

  it('collapses add then remove to nothing', async () => {
    const p = await syncedProject(USER('  name: String'))
    p.schema(USER('  name: String\n  phone: String', 'model Tag { id: Int! @id }'))
    await sync({ cwd: p.root })
    p.schema(USER('  name: String'))
    await sync({ cwd: p.root, acceptDataLoss: true })
    const result = await p.snapshot('noop')
    expect(result.outcome).toBe('nothing')
    expect(p.migrations()).toHaveLength(1)
  })

  it('collapses add then rename to one add', async () => {
    const p = await syncedProject(USER('  name: String'))
    p.schema(USER('  name: String\n  phone: String'))
    await sync({ cwd: p.root })
    p.schema(USER('  name: String\n  mobile: String @renamed(from: "phone")'))
    await sync({ cwd: p.root })
    expect(p.read('migrations/current/renames.json')).toContain('"from":"phone"')
    p.schema(USER('  name: String\n  mobile: String'))
    const result = await p.snapshot('add_mobile')
    expect(result.summaries).toEqual(["+ Added field 'mobile' to User"])
    expect(result.files).toEqual(['migration.json', 'schema.json'])
    expect(p.read('migrations/current/renames.json')).not.toContain('phone') // consumed by the snapshot
  })

  it('keeps a rename whose @renamed hint was removed before the snapshot, and the data with it', async () => {
    const p = await syncedProject(USER('  name: String'))
    p.schema(USER('  fullName: String @renamed(from: "name")'))
    await sync({ cwd: p.root })
    p.schema(USER('  fullName: String'))
    const result = await p.snapshot('full_name')
    expect(result.summaries).toEqual(["~ Renamed field 'name' to 'fullName' on User"])
    expect(result.renames).toEqual(['users.name -> users.full_name'])
    expect(p.read(`${result.folder}/renames.json`)).toContain('"from":"name","to":"full_name"')

    // On a database that never saw the hint: the value survives the migration.
    const db = await freshDatabase(p, 'prod.db')
    await db.up(1)
    await db.driver.query(`INSERT INTO "users" ("id", "name") VALUES (1, 'Ada')`)
    await db.up()
    expect(await db.driver.query(`SELECT "full_name" FROM "users"`)).toEqual([{ full_name: 'Ada' }])
  })

  it('keeps a model rename (hint synced, then removed) as a table rename', async () => {
    const p = await syncedProject(USER('  name: String'))
    p.schema('model Member {\n  @@renamed(from: "User")\n  id: Int! @id\n  name: String\n}\n')
    await sync({ cwd: p.root })
    p.schema('model Member {\n  id: Int! @id\n  name: String\n}\n')
    const result = await p.snapshot('member')
    expect(result.summaries).toEqual(["~ Renamed model 'User' to 'Member'"])
    expect(result.renames).toEqual(['users -> members'])
  })

  it('collapses an enum value added then removed, and keeps a real enum change', async () => {
    const config = {
      database: {
        provider: 'sqlite',
        url: 'sqlite://./dev.db',
        schemas: ['./models.okra.gql'],
        environments: { production: { provider: 'postgres', url: 'postgres://localhost/prod', generateSQL: true } },
      },
    }
    const p = makeProject({ config, schema: USER('  role: Role! @default(USER)', 'enum Role { ADMIN USER }') })
    await sync({ cwd: p.root })
    await p.snapshot('init')
    p.schema(USER('  role: Role! @default(USER)', 'enum Role { ADMIN USER GUEST }'))
    await sync({ cwd: p.root })
    p.schema(USER('  role: Role! @default(USER)', 'enum Role { ADMIN USER }'))
    await sync({ cwd: p.root, acceptDataLoss: true })
    expect((await p.snapshot('noop')).outcome).toBe('nothing')

    p.schema(USER('  role: Role! @default(USER)', 'enum Role { ADMIN USER GUEST }'))
    await sync({ cwd: p.root })
    const result = await p.snapshot('guest')
    expect(result.summaries).toEqual(["~ Changed field 'role' on User: values added 'GUEST'"])
    // generateSQL is on in production only, and the environments use two providers: one file each.
    expect(result.files).toEqual(['migration.json', 'migration.postgres.sql', 'migration.sqlite.sql', 'schema.json'])
    const postgres = p.read(`${result.folder}/migration.postgres.sql`)
    expect(postgres).toMatch(/^-- okra:provider postgres\n/)
    expect(postgres).toContain(`ADD VALUE 'GUEST'`)
    expect(p.read(`${result.folder}/migration.sqlite.sql`)).toMatch(/^-- okra:provider sqlite\n[^]*'GUEST'/)
  })

  it('writes migration.sql (marked with its provider) when generateSQL is on for one provider', async () => {
    const config = { database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'], migrations: { generateSQL: true } } }
    const p = makeProject({ config, schema: USER('  name: String') })
    const result = await p.snapshot('init')
    expect(result.files).toEqual(['migration.json', 'migration.sql', 'schema.json'])
    expect(p.read(`${result.folder}/migration.sql`)).toMatch(/^-- okra:provider sqlite\n[^]*CREATE TABLE "users"/)
  })

  it('turns a change that touches no table (a description) into a snapshot update without a migration', async () => {
    const p = await syncedProject(USER('  name: String'))
    p.schema(`"""People."""\n` + USER('  name: String'))
    const result = await p.snapshot('doc')
    expect(result.outcome).toBe('snapshot-only')
    expect(p.migrations()).toHaveLength(1)
    expect(p.read('migrations/snapshot/schema.json')).toContain('People.')
  })

  describe('when the database is not synced', () => {
    it('without a terminal, needs --sync or --force and writes nothing', async () => {
      const p = await syncedProject(USER('  name: String'))
      p.schema(USER('  name: String\n  phone: String'))
      const run = await okra(['db:migrate:snapshot'], { cwd: p.root })
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/not synced[^]*--sync or --force/)
      expect(p.migrations()).toHaveLength(1)
      expect(p.read('migrations/snapshot/schema.json')).not.toContain('phone')
      expect((await okra(['db:migrate:snapshot', '--sync', '--force'], { cwd: p.root })).code).toBe(64)
    })

    it('at a terminal, asks: 1 sync first, 2 snapshot anyway, 3 cancel', async () => {
      const p = await syncedProject(USER('  name: String'))
      p.schema(USER('  name: String\n  phone: String'))
      const answer = async (text: string) => {
        const stdin = new PassThrough()
        stdin.end(text + '\n')
        const [stdout, stderr] = [capture(), capture()]
        const code = await main(['db:migrate:snapshot'], { cwd: p.root, env: {}, stdout, stderr, stdin, stdinIsTTY: true })
        return { code, stderr: stderr.text }
      }
      const cancelled = await answer('3')
      expect(cancelled.stderr).toContain('not synced with the schema (migrations/current/schema.json differs). What now?\n  1) sync first\n  2) snapshot anyway\n  3) cancel\n> ')
      expect(cancelled.code).toBe(1)
      expect(p.migrations()).toHaveLength(1)
      expect((await answer('2')).code).toBe(0)
      expect(p.migrations()).toHaveLength(2)
      expect((await p.introspect()).tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'name'])
    })

    it('--force snapshots anyway; the database stays as it was', async () => {
      const p = await syncedProject(USER('  name: String'))
      p.schema(USER('  name: String\n  phone: String'))
      const run = await okra(['db:migrate:snapshot', '--force', '--name', 'phone'], { cwd: p.root })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain("+ Added field 'phone' to User")
      expect(run.stdout).toMatch(/Wrote migrations\/\d{8}_\d{6}_phone\//)
      expect((await p.introspect()).tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'name'])
    })

    it('--sync syncs the database first, then snapshots', async () => {
      const p = await syncedProject(USER('  name: String'))
      p.schema(USER('  name: String\n  phone: String'))
      const run = await okra(['migrate:snapshot', '--sync'], { cwd: p.root })
      expect(run.code).toBe(0)
      expect(p.migrations()).toHaveLength(2)
      expect((await p.introspect()).tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'name', 'phone'])
      expect(p.read('migrations/current/schema.json')).toContain('phone')
      expect(existsSync(join(p.root, 'migrations/current/renames.json'))).toBe(false)
    })
  })
})
