/**
 * The migration history as a chain, through the built `okra` run as a whole process: a fork (two
 * folders made from the same parent, as two merged branches leave them) stops every command that reads
 * the history; a deleted newest folder or a hand-edited snapshot is caught and `db:migrate:snapshot`
 * writes the change again. On SQLite and PostgreSQL.
 */
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalJSON } from '../../src/schema/canonical'
import { compileSchema } from '../../src/schema/compile'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir } from '../helpers/tmp'
import type { TestProject } from './project'
import { INIT, WITH_BOTH, WITH_SKU, WITH_WEIGHT, appliedIds, chainProject as project, productColumns, run, snapshots } from './chain-project'

const pgdb = await usePgDatabase()

const PROVIDERS = [
  { name: 'SQLite', url: undefined as string | undefined, reset: async () => undefined },
  { name: 'PostgreSQL', url: pgdb.url as string | undefined, reset: () => pgdb.reset() },
]

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
    const [init, sku] = await snapshots(p, [INIT, 'init'], [WITH_SKU, 'add_sku'])
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
  it('a migration named before the one it was made from (a renamed folder, a clock behind) is applied after it, by migrate:up and db:reset', async () => {
    await reset()
    const p = project(url)
    const [init, sku, weight] = await snapshots(p, [INIT, 'init'], [WITH_SKU, 'add_sku'], [WITH_BOTH, 'add_weight'])
    const early = '20000101_000000_add_weight'
    cpSync(join(p.root, 'migrations', weight!), join(p.root, 'migrations', early), { recursive: true })
    rmSync(join(p.root, 'migrations', weight!), { recursive: true })
    expect(p.migrations()).toEqual([early, init, sku])

    // migrate:status lists them in the order they apply.
    const status = JSON.parse(run(p, 'migrate:status', '--json').stdout)
    expect(status.ok).toBe(true)
    expect(status.migrations.map((m: { id: string }) => m.id)).toEqual([init, sku, early])
    // One step at a time, they are the first two of the chain, whatever the names say.
    const first = run(p, 'migrate:up', '--steps', '1')
    expect(first.code, first.stderr).toBe(0)
    expect(run(p, 'migrate:up', '--steps', '1').code).toBe(0)
    expect(await appliedIds(p)).toEqual([init, sku].sort())
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku'])
    const rest = run(p, 'migrate:up')
    expect(rest.code, rest.stderr).toBe(0)
    // Not "older than the newest applied migration": in the chain it comes last.
    expect(rest.stderr).not.toContain('older')
    expect(await appliedIds(p)).toEqual([early, init, sku])
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku', 'weight'])

    const replay = run(p, 'db:reset', '--force')
    expect(replay.code, replay.stderr).toBe(0)
    expect(await productColumns(p)).toEqual(['id', 'name', 'sku', 'weight'])
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
})
