/**
 * The migration history as a chain, through the built `okra` run as a whole process: a fork (two
 * folders made from the same parent, as two merged branches leave them) stops every command that reads
 * the history; a deleted newest folder or a hand-edited snapshot is caught and `db:migrate:snapshot`
 * writes the change again; destruction is declared, listed with row counts, and a destructive statement
 * that is not declared is refused before any SQL. On SQLite and PostgreSQL.
 */
import { cpSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalJSON } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import { okraProcess } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir } from '../helpers/tmp'
import { type TestProject, makeProject } from './project'

const pgdb = await usePgDatabase()

const PROVIDERS = [
  { name: 'SQLite', url: undefined as string | undefined, reset: async () => undefined },
  { name: 'PostgreSQL', url: pgdb.url as string | undefined, reset: () => pgdb.reset() },
]

const INIT = 'model Product {\n  id: Int! @id\n  name: String!\n}\n'
const WITH_SKU = 'model Product {\n  id: Int! @id\n  name: String!\n  sku: String?\n}\n'
const WITH_WEIGHT = 'model Product {\n  id: Int! @id\n  name: String!\n  weight: Int?\n}\n'
const WITH_BOTH = 'model Product {\n  id: Int! @id\n  name: String!\n  sku: String?\n  weight: Int?\n}\n'

function project(url: string | undefined, generateSQL = false): TestProject {
  const p = makeProject({ url })
  const provider = p.url.startsWith('postgres') ? 'postgres' : 'sqlite'
  p.write('okra.config.json', JSON.stringify({ database: { provider, url: p.url, schemas: ['./models.okra.gql'], migrations: { generateSQL } } }))
  return p
}

const run = (p: TestProject, ...args: string[]) => okraProcess(args, { cwd: p.root })

/** Columns of products as the database has them. */
async function productColumns(p: TestProject): Promise<string[]> {
  const db = await p.introspect()
  return db.tables.find((t) => t.name === 'products')?.columns.map((c) => c.name) ?? []
}

async function appliedIds(p: TestProject): Promise<string[]> {
  const driver = await p.open()
  try {
    if (!(await driver.tableExists('_okra_migrations'))) return []
    return (await driver.query<{ id: string }>('SELECT "id" FROM "_okra_migrations" ORDER BY "id"')).map((r) => r.id)
  } finally {
    await driver.close()
  }
}

/**
 * What two branches leave after `git merge`: both took a snapshot from `init` (add_sku on one, add_weight
 * on the other) and the snapshot file merged to hold both fields. Made by copying folders, as a merge does.
 */
async function forkedProject(url: string | undefined): Promise<{ p: TestProject; ids: string[] }> {
  const p = project(url)
  p.schema(INIT)
  await p.snapshot('init')
  const base = makeTempDir('okra-branch-')
  cpSync(join(p.root, 'migrations'), join(base, 'migrations'), { recursive: true })
  p.schema(WITH_SKU)
  await p.snapshot('add_sku')
  const sku = p.migrations()[1]!
  const skuFolder = makeTempDir('okra-sku-')
  cpSync(join(p.root, 'migrations', sku), skuFolder, { recursive: true })
  // The other branch: back to the base, then its own snapshot.
  rmSync(join(p.root, 'migrations'), { recursive: true })
  cpSync(join(base, 'migrations'), join(p.root, 'migrations'), { recursive: true })
  p.schema(WITH_WEIGHT)
  await p.snapshot('add_weight')
  // The merge.
  cpSync(skuFolder, join(p.root, 'migrations', sku), { recursive: true })
  p.schema(WITH_BOTH)
  p.write('migrations/snapshot/schema.json', canonicalJSON(compileSchema([{ path: 'models.okra.gql', text: WITH_BOTH }]).schema!))
  return { p, ids: p.migrations() }
}

describe.each(PROVIDERS)('the migration chain on $name', ({ url, reset }) => {
  it('a fork is reported by db:diff, snapshot, migrate:status, migrate:up, migrate:down and okra build, naming both migrations and the fix; nothing changes', async () => {
    await reset()
    const { p, ids } = await forkedProject(url)
    const [init, first, second] = ids
    const up = run(p, 'migrate:up', '--steps', '1')
    expect(up.code).toBe(1)
    expect(up.stderr).toContain(`The migration history forks: ${first} and ${second} were each made from migration ${init}`)
    expect(up.stderr).toContain('okra migrate:rebase')
    expect(await appliedIds(p)).toEqual([])
    expect(await productColumns(p)).toEqual([])
    for (const args of [['db:diff'], ['db:migrate:snapshot', '--force'], ['migrate:status'], ['migrate:up', '--dry-run'], ['migrate:down', '--force'], ['build']]) {
      const result = run(p, ...args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stderr, args.join(' ')).toContain(`${first} and ${second} were each made from migration ${init}`)
      expect(result.stderr, args.join(' ')).toContain('okra migrate:rebase')
    }
    const status = JSON.parse(run(p, 'migrate:status', '--json').stdout)
    expect(status.ok).toBe(false)
    expect(status.problems).toMatchObject([{ kind: 'fork', ids: [init, first, second] }])
    expect(p.migrations()).toEqual(ids)
    expect(await appliedIds(p)).toEqual([])
  })

  it('a deleted newest folder: db:diff, migrate:up and okra build report the lost change; db:migrate:snapshot takes the snapshot back and writes it again', async () => {
    await reset()
    const p = project(url)
    p.schema(INIT)
    await p.snapshot('init')
    p.schema(WITH_SKU)
    await p.snapshot('add_sku')
    const [init, sku] = p.migrations()
    const lost = p.read(`migrations/${sku}/schema.json`)
    rmSync(join(p.root, 'migrations', sku!), { recursive: true })

    const diff = run(p, 'db:diff')
    expect(diff.code).toBe(1)
    expect(diff.stderr).toContain(`migrations/snapshot/schema.json is not the schema of the newest migration, ${init}`)
    expect(diff.stderr).toContain("+ Added field 'sku' to Product")
    expect(diff.stderr).toContain('okra db:migrate:snapshot')
    expect(run(p, 'build').code).toBe(1)
    expect(run(p, 'migrate:up').code).toBe(1)
    expect(await appliedIds(p)).toEqual([])

    const again = run(p, 'db:migrate:snapshot', '--force', '--name', 'add_sku_again')
    expect(again.code).toBe(0)
    expect(again.stderr).toContain(`was not the schema of the newest migration (${init}): taken back to it, so the change is written again`)
    expect(again.stdout).toContain("+ Added field 'sku' to Product")
    const newest = p.migrations()[1]!
    expect(newest).toMatch(/_add_sku_again$/)
    expect(p.read(`migrations/${newest}/schema.json`)).toBe(lost)
    const diffAfter = run(p, 'db:diff')
    expect(diffAfter.code).toBe(0)
    expect(diffAfter.stdout).toContain('No changes since the snapshot')
    expect(run(p, 'migrate:up').code).toBe(0)
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku'])
  })

  it('a hand-edited snapshot/schema.json is detected', async () => {
    await reset()
    const p = project(url)
    p.schema(WITH_SKU)
    await p.snapshot('init')
    const [init] = p.migrations()
    p.write('migrations/snapshot/schema.json', p.read('migrations/snapshot/schema.json').replace('"column": "sku"', '"column": "product_sku"'))
    for (const args of [['db:diff'], ['build'], ['migrate:status']]) {
      const result = run(p, ...args)
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stderr, args.join(' ')).toContain(`is not the schema of the newest migration, ${init}`)
    }
  })

  it('a destructive statement the migration does not declare is refused before any SQL; declared destruction is listed with row counts and applied', async () => {
    await reset()
    const p = project(url)
    p.schema(WITH_SKU)
    await p.snapshot('init')
    p.schema(WITH_BOTH)
    await p.snapshot('add_weight')
    const [init, weight] = p.migrations()
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
