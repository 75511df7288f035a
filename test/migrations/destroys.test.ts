/**
 * Destruction declared, through the built `okra` run as a whole process: the snapshot writes it into
 * migration.json and prints it, `migrate:up --dry-run` and `migrate:status` list it with row counts, and
 * `migrate:up` refuses a destructive statement that is not declared, before any SQL. A history written
 * before migration.json keeps working. On SQLite and PostgreSQL.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { usePgDatabase } from '../helpers/pg'
import { INIT, WITH_BOTH, WITH_SKU, WITH_WEIGHT, appliedIds, chainProject as project, productColumns, run, snapshots } from './chain-project'

const pgdb = await usePgDatabase()

const PROVIDERS = [
  { name: 'SQLite', url: undefined as string | undefined, reset: async () => undefined },
  { name: 'PostgreSQL', url: pgdb.url as string | undefined, reset: () => pgdb.reset() },
]

describe.each(PROVIDERS)('destruction declared on $name', ({ url, reset }) => {
  it('a destructive statement the migration does not declare is refused before any SQL; declared destruction is listed with row counts and applied', async () => {
    await reset()
    const p = project(url)
    const [init, weight] = await snapshots(p, [WITH_SKU, 'init'], [WITH_BOTH, 'add_weight'])
    expect(run(p, 'migrate:up', '--steps', '1').code).toBe(0)
    const driver = await p.open()
    try {
      await driver.query(`INSERT INTO "products" ("id", "name", "sku") VALUES (1, 'a', 'A-1'), (2, 'b', 'B-2'), (3, 'c', NULL)`)
    } finally {
      await driver.close()
    }
    // add_weight's schema.json edited to drop sku as well: its migration.json declares no destruction.
    const edited = JSON.parse(p.read(`migrations/${weight}/schema.json`))
    edited.models[0].fields = edited.models[0].fields.filter((f: { name: string }) => f.name !== 'sku')
    p.write(`migrations/${weight}/schema.json`, JSON.stringify(edited, null, 2) + '\n')
    for (const args of [['migrate:up'], ['migrate:up', '--dry-run']]) {
      const refused = run(p, ...args)
      expect(refused.code, args.join(' ')).toBe(1)
      expect(refused.stderr).toContain(`Migration ${weight} would run destructive SQL that its migrations/${weight}/migration.json does not declare: drops column products.sku`)
      expect(refused.stderr).toContain('Nothing was run.')
    }
    expect(await appliedIds(p)).toEqual([init])
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku'])

    // Put back (the snapshot is add_weight's schema); the same drop taken as a migration of its own declares it.
    p.write(`migrations/${weight}/schema.json`, p.read('migrations/snapshot/schema.json'))
    p.schema(WITH_WEIGHT)
    const snap = run(p, 'db:migrate:snapshot', '--force', '--name', 'drop_sku')
    expect(snap.code).toBe(0)
    expect(snap.stdout).toContain('It destroys')
    expect(snap.stdout).toContain('drops column products.sku')
    const dropSku = p.migrations()[2]!
    expect(JSON.parse(p.read(`migrations/${dropSku}/migration.json`)).destroys).toEqual([
      { kind: 'drop-column', table: 'products', column: 'sku', line: 'drops column products.sku' },
    ])
    const dry = run(p, 'migrate:up', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('-- destroys: drops column products.sku (2 non-null values now)')
    const status = run(p, 'migrate:status')
    expect(status.stdout).toContain('destroys: drops column products.sku (2 non-null values now)')
    expect(run(p, 'migrate:up').code).toBe(0)
    expect(await productColumns(p)).toEqual(['id', 'name', 'weight'])
  })
  it('a history written before migration.json keeps working: parents inferred with a note, written on the next snapshot, applied migrations not "changed"', async () => {
    await reset()
    const p = project(url, true)
    p.schema(INIT)
    await p.snapshot('init')
    p.schema(WITH_SKU)
    await p.snapshot('add_sku')
    const ids = p.migrations()
    for (const id of ids) rmSync(join(p.root, 'migrations', id, 'migration.json'))
    expect(run(p, 'migrate:up', '--steps', '1').code).toBe(0)
    const status = run(p, 'migrate:status')
    expect(status.code).toBe(0)
    expect(status.stderr).toContain('2 migration folders in migrations/ have no migration.json (written by an older OKRA)')
    p.schema(WITH_BOTH)
    const snap = run(p, 'db:migrate:snapshot', '--force')
    expect(snap.code).toBe(0)
    expect(snap.stderr).toContain('wrote migration.json (parent, what it destroys) into 2 older migration folders')
    const [init, sku, weight] = p.migrations()
    const meta = (id: string) => JSON.parse(readFileSync(join(p.root, 'migrations', id, 'migration.json'), 'utf8'))
    expect(meta(init!).parent).toBeNull()
    expect(meta(sku!).parent).toBe(meta(init!).schema)
    expect(meta(weight!).parent).toBe(meta(sku!).schema)
    const after = run(p, 'migrate:status')
    expect(after.code).toBe(0)
    expect(after.stdout).not.toContain('changed after it was applied')
    expect(after.stderr).not.toContain('have no migration.json')
    expect(run(p, 'migrate:up').code).toBe(0)
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku', 'weight'])
  })
})
