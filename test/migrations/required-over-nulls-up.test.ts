/**
 * `migrate:up` of a migration that makes a column required over rows holding NULL, with no default: refused
 * before any of its SQL runs (and before a backup), with the row count and the ways out; a hand-written
 * migration.sql that fails on those rows is explained the same way after its rollback, naming the backup.
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Provider } from '../../src/schema/physical-types'
import { usePgDatabase } from '../helpers/pg'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { sql } from '../helpers/dialects'

const pgdb = await usePgDatabase()

const OPTIONAL = 'model User {\n  id: Int! @id\n  name: String!\n  phone: String?\n}\n'
const REQUIRED = OPTIONAL.replace('phone: String?', 'phone: String!')

/** A project whose database got the first migration, then rows with NULL phones, then a second migration making phone required. */
async function twoMigrations(provider: Provider, generateSQL: boolean) {
  const root = makeTempDir('okra-up-required-')
  const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(root, 'app.db')}`
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'], migrations: { generateSQL } } }),
    'models.okra.gql': OPTIONAL,
  })
  const okra = (...args: string[]) => okraProcess(args, { cwd: root })
  expect(okra('db:migrate:snapshot', '--name', 'init', '--force').code).toBe(0)
  expect(okra('migrate:up').code).toBe(0)
  await sql(root, url, `INSERT INTO users (id, name, phone) VALUES (1, 'Ada', NULL), (2, 'Bob', NULL), (3, 'Cy', '555')`)
  writeFileSync(join(root, 'models.okra.gql'), REQUIRED)
  expect(okra('db:migrate:snapshot', '--name', 'phone_required', '--force').code).toBe(0)
  const second = readdirSync(join(root, 'migrations')).filter((n) => n.endsWith('_phone_required'))[0]!
  const applied = async () => (await sql<{ id: string }>(root, url, 'SELECT id FROM _okra_migrations ORDER BY id')).map((r) => r.id)
  const backups = () => (provider === 'sqlite' ? readdirSync(join(root, '.okra/backups')).length : 0)
  return { root, url, okra, second, applied, backups }
}

describe.each(['sqlite', 'postgres'] as const)('migrate:up, a column made required over NULL rows, on %s', (provider) => {
  beforeEach(async () => {
    if (provider === 'postgres') await pgdb.reset()
  })

  it('SQL derived from schema.json: refused before any SQL and any backup, with the count and the fixes; fine once the rows are filled', async () => {
    const p = await twoMigrations(provider, false)
    const before = await p.applied()
    const backups = p.backups()
    const r = p.okra('migrate:up')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`error: Migration ${p.second} stopped before any of its SQL ran: a required field has no value in existing rows:`)
    expect(r.stderr).toContain("field 'phone' on User cannot be made required: 2 rows of users hold NULL in phone, and it has no default to fill them")
    expect(r.stderr).toContain('fill the rows in this database first (UPDATE "users" SET "phone" = <value> WHERE "phone" IS NULL), then run okra migrate:up again')
    expect(r.stderr).toContain(`write the migration's SQL yourself: migrations/${p.second}/migration.sql`)
    expect(r.stderr).not.toMatch(/SQLITE_|23502|constraint|_okra_new|\n\s+at /i)
    expect(await p.applied()).toEqual(before)
    expect(p.backups()).toBe(backups)

    await sql(p.root, p.url, `UPDATE users SET phone = 'unknown' WHERE phone IS NULL`)
    const fixed = p.okra('migrate:up')
    expect(fixed.code).toBe(0)
    expect(await p.applied()).toEqual([...before, p.second])
  })

  it('a migration.sql that fails on those rows: explained after the rollback, with the database message and (SQLite) the backup by name', async () => {
    const p = await twoMigrations(provider, true)
    const before = await p.applied()
    const r = p.okra('migrate:up')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`error: Migration ${p.second} failed and was rolled back: a required field has no value in existing rows:`)
    expect(r.stderr).toContain("2 rows of users hold NULL in phone")
    // The database's own words follow, for the record.
    expect(r.stderr).toMatch(/Migration \S+ failed \(migrations\/\S+\/migration\.sql, line \d+\)[^\n]*\n[^\n]*(NOT NULL|null value)/i)
    if (provider === 'sqlite') {
      const [file] = readdirSync(join(p.root, '.okra/backups')).sort().reverse()
      const name = file!.replace(/\.db$/, '')
      expect(r.stderr).toContain(`The database as it was before this run is backup ${name} (.okra/backups/${file}): \`okra db:restore ${name}\` brings it back.`)
    }
    expect(await p.applied()).toEqual(before)
    expect((await sql(p.root, p.url, 'SELECT id FROM users WHERE phone IS NULL')).length).toBe(2)
  })
})
