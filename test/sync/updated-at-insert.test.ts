/**
 * `@updatedAt` columns are NOT NULL and kept current by a trigger on UPDATE; an INSERT that leaves them
 * out must still work on both providers, whether the table came from `db:sync` or from `migrate:up`. A
 * column made by an older OKRA (no default) gets the default by the next sync and by the next migration.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { canonicalJSON } from '../../src/schema/canonical'
import type { Provider } from '../../src/schema/physical-types'
import type { ScalarField, Schema } from '../../src/schema/types'
import { usePgDatabase } from '../helpers/pg'
import { okraProcessAsync } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

const pgdb = await usePgDatabase()

const SCHEMA = `model Post {
  id: Int! @id
  title: String!
  updatedAt: DateTime! @updatedAt
}
`

function project(provider: Provider): { root: string; url: string } {
  const root = makeTempDir('okra-updated-at-')
  const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(root, 'dev.db')}`
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'] } }),
    'models.okra.gql': SCHEMA,
  })
  return { root, url }
}

// Not spawnSync: it would block this process, where an embedded PGlite server may be answering the child.
async function okra(root: string, ...args: string[]) {
  const result = await okraProcessAsync(args, { cwd: root })
  if (result.code !== 0) throw new Error(`okra ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`)
  return result
}

/** What a user's own client does: an INSERT naming only the columns it knows, then an UPDATE. */
async function insertAndUpdate(root: string, url: string): Promise<{ inserted: unknown; updated: unknown }> {
  const driver = await openDriver(url, { root })
  try {
    await driver.query(`INSERT INTO "posts" ("id", "title") VALUES (1, 'hello')`)
    const [inserted] = await driver.query<{ updated_at: unknown }>(`SELECT "updated_at" FROM "posts" WHERE "id" = 1`)
    await driver.query(`UPDATE "posts" SET "updated_at" = '2000-01-01T00:00:00.000Z' WHERE "id" = 1`)
    await driver.query(`UPDATE "posts" SET "title" = 'changed' WHERE "id" = 1`)
    const [updated] = await driver.query<{ updated_at: unknown }>(`SELECT "updated_at" FROM "posts" WHERE "id" = 1`)
    return { inserted: inserted?.updated_at, updated: updated?.updated_at }
  } finally {
    await driver.close()
  }
}

function year(value: unknown): number {
  return new Date(value instanceof Date ? value : `${String(value).replace(' ', 'T')}${/Z|[+-]\d\d:?\d\d$/.test(String(value)) ? '' : 'Z'}`).getUTCFullYear()
}

/** The state an older OKRA left: the snapshot and its migration record the column without a default. */
function withoutUpdatedAtDefault(root: string): void {
  const migrations = join(root, 'migrations')
  const files = [join(migrations, 'snapshot/schema.json'), ...readdirSync(migrations).filter((d) => /^\d{8}_/.test(d)).map((d) => join(migrations, d, 'schema.json'))]
  for (const file of files) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema
    const field = schema.models[0]!.fields.find((f) => f.kind === 'scalar' && f.updatedAt) as ScalarField
    expect(field.default).toEqual({ kind: 'now' })
    delete field.default
    writeFileSync(file, canonicalJSON(schema))
  }
}

describe.each(['sqlite', 'postgres'] as const)('@updatedAt on %s: an INSERT that leaves the column out', (provider) => {
  beforeEach(async () => {
    if (provider === 'postgres') await pgdb.reset()
  })

  it('works after db:sync, and the trigger still keeps the column current on UPDATE', async () => {
    const { root, url } = project(provider)
    await okra(root, 'db:sync')
    const { inserted, updated } = await insertAndUpdate(root, url)
    expect(year(inserted)).toBeGreaterThanOrEqual(2024)
    expect(year(updated)).toBeGreaterThanOrEqual(2024)
  })

  it('works after migrate:up', async () => {
    const { root, url } = project(provider)
    await okra(root, 'db:migrate:snapshot', '--force', '--name', 'init')
    await okra(root, 'migrate:up')
    const { inserted } = await insertAndUpdate(root, url)
    expect(year(inserted)).toBeGreaterThanOrEqual(2024)
  })

  it('a column an older OKRA made gets the default from the next migration (a safe change)', async () => {
    const { root, url } = project(provider)
    await okra(root, 'db:migrate:snapshot', '--force', '--name', 'init')
    withoutUpdatedAtDefault(root)
    await okra(root, 'migrate:up')
    await expect(insertAndUpdate(root, url)).rejects.toThrow(/updated_at/)

    expect((await okra(root, 'db:diff')).stdout).toBe("~ Set default of field 'updatedAt' on Post to now\n")
    await okra(root, 'db:migrate:snapshot', '--force', '--name', 'updated_at_default')
    const up = await okra(root, 'migrate:up')
    expect(up.stdout).toMatch(/updated_at_default/)
    const { inserted } = await insertAndUpdate(root, url)
    expect(year(inserted)).toBeGreaterThanOrEqual(2024)
  })

  it('a column an older OKRA made gets the default from the next db:sync, without asking', async () => {
    const { root, url } = project(provider)
    await okra(root, 'db:migrate:snapshot', '--force', '--name', 'init')
    withoutUpdatedAtDefault(root)
    await okra(root, 'migrate:up')
    const sync = await okra(root, 'db:sync')
    expect(sync.stdout).toContain("~ Set default of field 'updatedAt' on Post to now")
    const { inserted } = await insertAndUpdate(root, url)
    expect(year(inserted)).toBeGreaterThanOrEqual(2024)
  })
})
