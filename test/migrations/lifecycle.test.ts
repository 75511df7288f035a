/**
 * The whole life cycle of migrations on SQLite and on PostgreSQL: up, status, down, resolve, merged
 * branches; every migration's up, down, up equal to a single up; the same structure on both providers.
 */
import { PassThrough } from 'node:stream'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli'
import { migrateDown } from '../../src/migrations/down'
import { migrateStatus } from '../../src/migrations/status'
import { migrateUp } from '../../src/migrations/up'
import { sync } from '../../src/sync/sync'
import { physicalWithoutHints } from '../../src/migrations/derive'
import { folderSchema, readMigrationFolders } from '../../src/migrations/folders'
import { readHistory } from '../../src/migrations/history'
import type { DbSchema } from '../../src/schema/physical-types'
import { capture, okra } from '../cli/capture'
import { usePgDatabase } from '../helpers/pg'
import { STEPS, type TestProject, makeProject, structure } from './project'
import { diffOf, typesOf } from '../helpers/dialects'

const pgdb = await usePgDatabase()

const PROVIDERS = [
  { name: 'SQLite', url: (root: string) => `sqlite://${join(root, 'app.db')}`, reset: async () => undefined },
  { name: 'PostgreSQL', url: () => pgdb.url, reset: () => pgdb.reset() },
]

/** A project holding one migration per STEPS entry, its database at `url`. */
async function projectWithSteps(url: (root: string) => string): Promise<TestProject & { ids: string[] }> {
  const scratch = makeProject()
  const p = makeProject({ url: url(scratch.root) })
  for (const step of STEPS) {
    p.schema(step.schema)
    await p.snapshot(step.name)
  }
  return Object.assign(p, { ids: p.migrations() })
}

/** The database must be exactly the schema of migration `id` (nothing else, nothing missing). */
async function expectDatabaseAt(p: TestProject, id: string | null): Promise<DbSchema> {
  const folders = readMigrationFolders(join(p.root, 'migrations'), p.root)
  const live = await p.introspect()
  const folder = id === null ? null : folders.find((f) => f.id === id)!
  const { changes } = await diffOf(physicalWithoutHints(folder ? folderSchema(folder) : null, typesOf(live.provider)), live)
  expect(changes.map((c) => c.kind)).toEqual([])
  return live
}

describe.each(PROVIDERS)('migrations on $name', ({ url, reset }) => {
  beforeEach(reset)

  it('applies the pending migrations in order, once, recording each; status then shows them applied with no drift', async () => {
    const p = await projectWithSteps(url)
    const first = await migrateUp({ cwd: p.root, steps: 2 })
    expect(first.applied.map((m) => m.id)).toEqual(p.ids.slice(0, 2))
    expect(first.remaining).toEqual(p.ids.slice(2))
    const rest = await okra(['migrate:up'], { cwd: p.root })
    expect(rest.code).toBe(0)
    for (const id of p.ids.slice(2)) expect(rest.stdout).toContain(`✓ ${id}`)
    expect(rest.stderr).toMatch(new RegExp(`Applied \\[3/3\\] ${p.ids[4]}`)) // plain progress lines without a terminal
    expect((await migrateUp({ cwd: p.root })).applied).toEqual([])
    await expectDatabaseAt(p, p.ids[4]!)

    const driver = await p.open()
    const history = await readHistory(driver)
    await driver.close()
    expect(history.map((r) => [r.id, r.status])).toEqual(p.ids.map((id) => [id, 'applied']))
    for (const row of history) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(Number.isNaN(Date.parse(row.appliedAt))).toBe(false)
      expect(row.executionMs).toBeGreaterThanOrEqual(0)
    }

    const status = await okra(['migrate:status', '--exit-code'], { cwd: p.root })
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(new RegExp(`✓ ${p.ids[0]}\\s+applied \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`))
    expect(status.stdout).toContain(`No drift: the database matches the schema of ${p.ids[4]}`)
  })

  it('up, down, up of every migration gives the structure of a single up', async () => {
    const p = await projectWithSteps(url)
    let previous: string | null = null
    for (const id of p.ids) {
      await migrateUp({ cwd: p.root, steps: 1 })
      const once = structure(await expectDatabaseAt(p, id))
      const down = await migrateDown({ cwd: p.root, force: true })
      expect(down.reverted.map((m) => m.id)).toEqual([id])
      await expectDatabaseAt(p, previous)
      await migrateUp({ cwd: p.root, steps: 1 })
      expect(structure(await p.introspect())).toEqual(once)
      previous = id
    }
  })

  it('down asks first (without a terminal it needs --force), warns what cannot come back, and --dry-run changes nothing', async () => {
    const p = await projectWithSteps(url)
    await migrateUp({ cwd: p.root, steps: 4 })
    const driver = await p.open()
    await driver.query(`INSERT INTO "users" ("email", "full_name", "role", "updated_at") VALUES ('a@b.c', 'Ada', 'USER', '2024-01-01T00:00:00.000Z')`)
    await driver.query(`INSERT INTO "tags" ("label") VALUES ('x')`)
    await driver.close()

    const dry = await okra(['migrate:down', '--dry-run'], { cwd: p.root })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`-- revert ${p.ids[3]}`)
    expect(dry.stdout).toMatch(/DROP TABLE "tags"/)
    expect(dry.stdout).toContain(`${p.ids[3]} did "Removed field 'body' from Post": reverting it brings the structure back, not the data`)
    expect(dry.stdout).toContain(`reverting ${p.ids[3]}: dropping table tags loses 1 row`)

    const refused = await okra(['migrate:down'], { cwd: p.root })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/--force/)
    await expectDatabaseAt(p, p.ids[3]!)

    const forced = await okra(['migrate:down', '--force', '--steps', '2'], { cwd: p.root })
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain(`✓ reverted ${p.ids[3]}`)
    expect(forced.stdout).toContain(`✓ reverted ${p.ids[2]}`)
    await expectDatabaseAt(p, p.ids[1]!)
    const driver2 = await p.open()
    expect(await driver2.query(`SELECT "email", "name" FROM "users"`)).toEqual([{ email: 'a@b.c', name: 'Ada' }])
    await driver2.close()
  })

  it('down runs the down.sql the user wrote, which is no part of the checksum', async () => {
    const p = await projectWithSteps(url)
    await migrateUp({ cwd: p.root })
    const file = `migrations/${p.ids[4]}/down.sql`
    p.write(file, 'ALTER TABLE "accounts" RENAME TO "users";\nCREATE TABLE "reverted_by_hand" ("id" INTEGER PRIMARY KEY);\n')
    expect((await migrateStatus({ cwd: p.root })).changed).toBe(0)
    const run = await okra(['migrate:down', '--force'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`✓ reverted ${p.ids[4]}`)
    expect(run.stdout).toContain(file)
    expect((await p.introspect()).tables.map((t) => t.name)).toEqual(['posts', 'posts_to_tags', 'reverted_by_hand', 'tags', 'users'])
  })

  it('down in production asks for the environment name at a terminal', async () => {
    const p = await projectWithSteps(url)
    const database = JSON.parse(p.read('okra.config.json')).database
    p.write('okra.config.json', JSON.stringify({ database: { ...database, environments: { production: { url: p.url } } } }))
    await migrateUp({ cwd: p.root })
    const answer = async (env: string | undefined, text: string) => {
      const stdin = new PassThrough()
      stdin.end(text + '\n')
      const [stdout, stderr] = [capture(), capture()]
      const code = await main(['migrate:down', ...(env ? ['--env', env] : [])], { cwd: p.root, env: {}, stdout, stderr, stdin, stdinIsTTY: true })
      return { code, stdout: stdout.text, stderr: stderr.text }
    }
    const yes = await answer('production', 'y')
    expect(yes.stderr).toContain('Type "production" to go on')
    expect(yes.code).toBe(1)
    expect(yes.stderr).toContain('Cancelled: nothing was reverted')
    expect((await answer('production', 'production')).code).toBe(0)
    expect((await answer(undefined, 'y')).code).toBe(0)
    await expectDatabaseAt(p, p.ids[2]!)
  })

  it('status lists applied, pending and changed migrations and drift; --exit-code exits 2', async () => {
    const p = await projectWithSteps(url)
    await migrateUp({ cwd: p.root, steps: 3 })
    const driver = await p.open()
    await driver.query(`CREATE TABLE "by_hand" ("id" INTEGER PRIMARY KEY)`)
    await driver.close()
    p.write(`migrations/${p.ids[0]}/notes.md`, 'a file added after apply')

    const status = await okra(['migrate:status', '--exit-code'], { cwd: p.root })
    expect(status.code).toBe(2)
    expect(status.stdout).toMatch(new RegExp(`✗ ${p.ids[0]}\\s+changed after it was applied .*: notes.md added`))
    expect(status.stdout).toMatch(new RegExp(`✓ ${p.ids[1]}\\s+applied`))
    expect(status.stdout).toMatch(new RegExp(`○ ${p.ids[3]}\\s+pending`))
    expect(status.stdout).toContain(`Drift: the database differs from the schema of ${p.ids[2]}:`)
    expect(status.stdout).toContain("+ Added model 'by_hand'")

    const json = JSON.parse((await okra(['migrate:status', '--json'], { cwd: p.root })).stdout)
    expect(json.migrations.map((m: { state: string }) => m.state)).toEqual(['changed', 'applied', 'applied', 'pending', 'pending'])
    expect(json.drift.changes).toEqual(["+ Added model 'by_hand'"])
    expect((await okra(['migrate:status'], { cwd: p.root })).code).toBe(0)
  })

  it('resolve --applied baselines a database made without migrations; --rolled-back forgets one', async () => {
    const p = await projectWithSteps(url)
    await sync({ cwd: p.root }) // the database gets the last schema directly
    for (const id of p.ids) expect((await okra(['migrate:resolve', '--applied', id], { cwd: p.root })).code).toBe(0)
    expect((await migrateUp({ cwd: p.root })).applied).toEqual([])
    expect((await migrateStatus({ cwd: p.root })).drift).toEqual([])

    const again = await okra(['migrate:resolve', '--applied', p.ids[0]!], { cwd: p.root })
    expect(again.stdout).toContain('was already recorded as applied')
    const unknown = await okra(['migrate:resolve', '--applied', 'nope'], { cwd: p.root })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("No migration 'nope' in migrations/")
    expect((await okra(['migrate:resolve'], { cwd: p.root })).code).toBe(64)

    const rolledBack = await okra(['migrate:resolve', '--rolled-back', p.ids[4]!], { cwd: p.root })
    expect(rolledBack.code).toBe(0)
    expect((await migrateStatus({ cwd: p.root })).migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied', 'applied', 'pending'])
  })

  it('applies a migration merged from another branch (older than the newest applied) with a warning, never skipping it', async () => {
    const p = await projectWithSteps(url)
    await migrateUp({ cwd: p.root })
    // A migration written on another branch before the newest one here, holding its own reviewed SQL.
    const merged = `${p.ids[2]}_from_branch`
    p.write(`migrations/${merged}/schema.json`, p.read(`migrations/${p.ids[2]}/schema.json`))
    p.write(`migrations/${merged}/migration.sql`, 'CREATE TABLE "branch_notes" ("id" INTEGER PRIMARY KEY, "text" TEXT);\n')
    const run = await okra(['migrate:up'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`warning: migration ${merged} is older than ${p.ids[4]}, the newest applied one (merged from another branch?): applying it now`)
    expect(run.stdout).toContain(`✓ ${merged}`)
    expect((await p.introspect()).tables.map((t) => t.name)).toContain('branch_notes')
  })

  it('--dry-run prints the SQL and changes nothing, not even _okra_migrations', async () => {
    const p = await projectWithSteps(url)
    const run = await okra(['migrate:up', '--dry-run', '--steps', '1'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`-- ${p.ids[0]} (SQL derived from schema.json for`)
    expect(run.stdout).toMatch(/CREATE TABLE "users"/)
    expect(run.stdout).toContain('nothing was changed')
    const live = await p.introspect()
    expect(live.tables).toEqual([])
    const driver = await p.open()
    expect(await readHistory(driver)).toEqual([])
    await driver.close()
  })
})

describe('the same migrations on both providers', () => {
  it('give the same introspected structure: same tables, columns, keys and indexes', async () => {
    await pgdb.reset()
    const sqlite = await projectWithSteps(PROVIDERS[0]!.url)
    const postgres = makeProject({ url: pgdb.url })
    // The very same folders, applied to PostgreSQL.
    for (const id of sqlite.ids) {
      for (const file of ['schema.json', 'migration.json', 'renames.json']) {
        try {
          postgres.write(`migrations/${id}/${file}`, sqlite.read(`migrations/${id}/${file}`))
        } catch {
          // renames.json exists only where the snapshot renamed something
        }
      }
    }
    postgres.write('migrations/snapshot/schema.json', sqlite.read('migrations/snapshot/schema.json'))
    await migrateUp({ cwd: sqlite.root })
    await migrateUp({ cwd: postgres.root })
    const last = sqlite.ids[sqlite.ids.length - 1]!
    const [a, b] = [await expectDatabaseAt(sqlite, last), await expectDatabaseAt(postgres, last)]
    const shape = (db: DbSchema) =>
      db.tables.map((t) => ({
        table: t.name,
        columns: t.columns.map((c) => [c.name, c.nullable, c.autoincrement, c.updatedAt]),
        primaryKey: t.primaryKey,
        indexes: t.indexes.map((i) => [i.name, i.columns, i.unique]),
        foreignKeys: t.foreignKeys.map((f) => [f.name, f.columns, f.refTable, f.refColumns, f.onDelete]),
      }))
    expect(shape(a)).toEqual(shape(b))
    expect(shape(a).map((t) => t.table)).toEqual(['accounts', 'posts', 'posts_to_tags', 'tags'])
  })
})
