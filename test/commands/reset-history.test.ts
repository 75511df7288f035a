/**
 * `okra db:reset` replays the migration history (as whole okra processes, SQLite and PostgreSQL): drops
 * what OKRA manages (also a table only an older migration had), applies every migration and records it,
 * syncs the schema's changes not yet in a migration, runs the seeds; `--skip-seed`; `--from-schema`.
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import type { Provider } from '../../src/schema/physical-types'
import { usePgDatabase } from '../helpers/pg'
import { okraProcess, okraProcessAsync } from '../helpers/okra-process'
import { SYNC_LOCK } from '../../src/sync/sync'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { sql } from '../helpers/dialects'

const pgdb = await usePgDatabase()

const V1 = 'model User {\n  id: Int! @id\n  name: String!\n}\nmodel Legacy {\n  id: Int! @id\n}\n'
const V2 = 'model User {\n  id: Int! @id\n  name: String!\n}\n'
const V3 = 'model User {\n  id: Int! @id\n  name: String!\n  email: String?\n}\n'

async function tables(root: string, url: string): Promise<string[]> {
  const driver = await openDriver(url, { root })
  try {
    return (await driver.introspect()).tables.map((t) => t.name).sort()
  } finally {
    await driver.close()
  }
}

/**
 * Two migrations (V1 with `legacies`, V2 without), the schema one change further (V3, not snapshotted),
 * a seed file, and a database left at the first migration with rows and a table OKRA does not manage.
 */
async function history(provider: Provider) {
  const root = makeTempDir('okra-reset-history-')
  const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(root, 'app.db')}`
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'], environments: { production: {} } } }),
    'models.okra.gql': V1,
    'seeds/01-users.sql': `INSERT INTO users (id, name) VALUES (100, 'Seeded');\n`,
  })
  const okra = (...args: string[]) => okraProcess(args, { cwd: root })
  expect(okra('db:migrate:snapshot', '--name', 'init', '--force').code).toBe(0)
  writeFileSync(join(root, 'models.okra.gql'), V2)
  expect(okra('db:migrate:snapshot', '--name', 'drop_legacy', '--force').code).toBe(0)
  writeFileSync(join(root, 'models.okra.gql'), V3)
  expect(okra('migrate:up', '--steps', '1').code).toBe(0)
  await sql(root, url, `INSERT INTO users (id, name) VALUES (1, 'Ada')`)
  await sql(root, url, `INSERT INTO legacies (id) VALUES (1)`)
  await sql(root, url, 'CREATE TABLE not_okras (id INTEGER PRIMARY KEY)')
  await sql(root, url, 'INSERT INTO not_okras VALUES (7)')
  const applied = async () => (await sql<{ id: string }>(root, url, 'SELECT id FROM _okra_migrations ORDER BY id')).map((r) => r.id.replace(/^\d+_\d+_/, ''))
  const users = async () => (await sql<{ name: string }>(root, url, 'SELECT name FROM users ORDER BY id')).map((r) => r.name)
  return { root, url, okra, applied, users }
}

describe.each(['sqlite', 'postgres'] as const)('db:reset from the migration history on %s', (provider) => {
  beforeEach(async () => {
    if (provider === 'postgres') await pgdb.reset()
  })

  it('replays every migration (recorded), syncs the unsnapshotted change, runs the seeds, leaves other tables alone', async () => {
    const p = await history(provider)
    const r = p.okra('db:reset', '--force')
    expect(r.stderr).not.toMatch(/error|warning/)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/✓ \d+_\d+_init\n✓ \d+_\d+_drop_legacy\nThen synced what no migration holds yet:\n\+ Added field 'email' to User\n✓ seeds\/01-users\.sql\n/)
    expect(r.stdout).toMatch(/✓ Reset .*: dropped \d+ tables, applied 2 migrations and synced 1 change, ran 1 seed file in \d+ ms\n$/)
    if (provider === 'sqlite') expect(r.stdout).toMatch(/^Backup of the database before the reset: app-\d{8}-\d{6}-\d{3} \(okra db:restore app-/)
    expect(await p.applied()).toEqual(['init', 'drop_legacy'])
    expect(await p.users()).toEqual(['Seeded'])
    expect(await tables(p.root, p.url)).toEqual(['not_okras', 'users'])
    expect((await sql(p.root, p.url, 'SELECT id FROM not_okras')).length).toBe(1)
    // The database knows where it stands: nothing pending, and the schema is synced.
    const status = JSON.parse(p.okra('migrate:status', '--json').stdout)
    expect(status.pending).toBe(0)
    expect(p.okra('db:sync').stdout).toMatch(/up to date|nothing to (do|change)|in sync/i)
  })

  it('--skip-seed runs no seed; --from-schema creates the tables from the schema, recording no migration', async () => {
    const p = await history(provider)
    const skipped = p.okra('db:reset', '--force', '--skip-seed', '--json')
    expect(skipped.code).toBe(0)
    const json = JSON.parse(skipped.stdout)
    expect(json).toMatchObject({ ok: true, from: 'history', seeds: [], created: ["+ Added field 'email' to User"] })
    expect(json.migrations.map((id: string) => id.replace(/^\d+_\d+_/, ''))).toEqual(['init', 'drop_legacy'])
    expect(await p.users()).toEqual([])

    const fromSchema = p.okra('db:reset', '--force', '--from-schema')
    expect(fromSchema.code).toBe(0)
    expect(fromSchema.stdout).toMatch(/created 1 from the schema, ran 1 seed file/)
    expect(await p.users()).toEqual(['Seeded'])
    expect(await tables(p.root, p.url)).toEqual(['not_okras', 'users'])
    expect((await sql(p.root, p.url, `SELECT 1 FROM ${provider === 'sqlite' ? 'sqlite_master WHERE name' : 'pg_tables WHERE tablename'} = '_okra_migrations'`)).length).toBe(0)
  })
})

describe('db:reset from the history on PostgreSQL, while a sync runs', () => {
  it.runIf(pgdb.serverOnly('db:reset waiting for a sync lock another session holds'))('waits for the sync to end before it drops anything, and holds the sync lock until it is done', async () => {
    await pgdb.reset()
    const p = await history('postgres')
    // Another process's sync (a dev server's auto-sync) holds the lock.
    const other = await openDriver(p.url, { root: p.root })
    try {
      const release = await other.lock(SYNC_LOCK, { timeoutMs: 1000 })
      const reset = okraProcessAsync(['db:reset', '--force'], { cwd: p.root })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      // Nothing dropped yet: the rows are there.
      expect(await p.users()).toEqual(['Ada'])
      await release()
      const r = await reset
      expect(r.code, r.stderr).toBe(0)
      expect(await p.applied()).toEqual(['init', 'drop_legacy'])
      expect(await p.users()).toEqual(['Seeded'])
      // Given back at the end: another sync takes it at once.
      const again = await other.lock(SYNC_LOCK, { timeoutMs: 1000 })
      await again()
    } finally {
      await other.close()
    }
  })
})

describe('db:reset from the history, failing', () => {
  it('stops at the migration that fails, and names the backup of the database as it was before the reset', async () => {
    const p = await history('sqlite')
    const second = readdirSync(join(p.root, 'migrations')).find((n) => n.endsWith('_drop_legacy'))!
    writeFileSync(join(p.root, 'migrations', second, 'migration.sql'), 'DROP TABLE no_such_table;\n')
    const r = p.okra('db:reset', '--force')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`error: Migration ${second} failed (migrations/${second}/migration.sql, line 1)`)
    // The newest: the one migrate:up took when the database got its first migration is older.
    const [file] = readdirSync(join(p.root, '.okra/backups')).sort().reverse()
    const name = file!.replace(/\.db$/, '')
    expect(r.stderr).toContain(`The database as it was before this run is backup ${name} (.okra/backups/${file}): \`okra db:restore ${name}\` brings it back.`)
    expect(p.okra('db:restore', name, '--force').code).toBe(0)
    expect(await p.users()).toEqual(['Ada'])
    expect((await sql(p.root, p.url, 'SELECT id FROM legacies')).length).toBe(1)
  })
})

describe('db:reset from the history, refused', () => {
  it('in the production environment without --force, changing nothing', async () => {
    const p = await history('sqlite')
    const r = p.okra('db:reset', '--env', 'production')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error: Refusing to reset the database of the production environment')
    expect(await p.applied()).toEqual(['init'])
    expect(await p.users()).toEqual(['Ada'])
  })
})
