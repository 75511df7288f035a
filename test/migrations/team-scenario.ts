/**
 * The rebase scenario both team suites (SQLite, PostgreSQL) run: fork, rebase, then every kind of database
 * migrated to the head and checked column by column, row by row.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { type Team, forkedTeam } from './team'

const hash = (text: string) => createHash('sha256').update(text).digest('hex')

/** The history after a rebase of `add_weight` onto `add_sku`: one line, the moved folder's files as they must be. */
export async function expectRebasedHistory(team: Team): Promise<string> {
  const ids = team.migrations()
  expect(ids.map((id) => id.slice(16))).toEqual(['init', 'add_sku', 'add_weight'])
  const [, sku, moved] = ids as [string, string, string]
  const meta = JSON.parse(team.read(`migrations/${moved}/migration.json`))
  const schemaText = team.read(`migrations/${moved}/schema.json`)
  expect(meta.parent).toBe(hash(team.read(`migrations/${sku}/schema.json`)))
  expect(meta.schema).toBe(hash(schemaText))
  expect(meta.rebasedFrom).toHaveLength(1)
  expect(meta.rebasedFrom[0].id).toMatch(/_add_weight$/)
  expect(meta.rebasedFrom[0].id).not.toBe(moved)
  expect(team.read('migrations/snapshot/schema.json')).toBe(schemaText)
  const columns = JSON.parse(schemaText).models[0].fields.map((f: { name: string }) => f.name)
  expect(columns).toEqual(expect.arrayContaining(['sku', 'weight', 'name', 'price', 'stock']))
  return moved
}

export async function rebaseAndMigrateEveryDatabase(team: Team, options: { generateSQL: boolean }): Promise<void> {
  const { sku, weight } = await forkedTeam(team)
  const applied = { sku: await team.database('applied_sku'), weight: await team.database('applied_weight') }
  // A database that applied both branches before the rebase, the moved one first (switching branches).
  const both = await team.database('both')
  team.git('checkout', '-q', 'weight')
  await team.up(both)
  await both.exec(`INSERT INTO "products" ("id", "name", "price", "stock", "weight") VALUES ('p3', 'Chair', 40, 3, 4.5)`)
  team.git('checkout', '-q', 'sku')
  await team.up(both)
  team.git('checkout', '-q', 'main')
  if (options.generateSQL) {
    // A reviewer added a backfill to the moved migration's SQL: the rebase keeps it as written and says so.
    const file = join(team.root, 'migrations', weight, 'migration.sql')
    writeFileSync(file, readFileSync(file, 'utf8') + 'UPDATE "products" SET "weight" = 1 WHERE "weight" IS NULL;\n')
    team.git('commit', '-qam', 'backfill weight')
  }

  // The developer's own database (applied nothing yet): migrate:rebase reads what it applied.
  const rebase = team.ok(['migrate:rebase'], await team.database('dev'))
  const moved = await expectRebasedHistory(team)
  expect(rebase.stdout).toContain(`${weight} -> ${moved}`)
  expect(rebase.stdout).toContain(`after ${sku}`)
  if (options.generateSQL) {
    expect(rebase.stdout).toContain(`review migrations/${moved}/migration.sql`)
    const sql = team.read(`migrations/${moved}/migration.sql`)
    expect(sql).toContain('ADD COLUMN "weight"')
    expect(sql).toContain('UPDATE "products" SET "weight" = 1')
    expect(sql).not.toContain('DROP')
  }
  team.commit('migrate:rebase')

  // What migrate:status says before: the other branch's database, and the one that applied both in the other order.
  const waiting = team.ok(['migrate:status'], applied.weight)
  expect(waiting.stdout).toContain(`as ${weight}, before migrate:rebase`)
  expect(waiting.stdout).toContain(`applies ${sku} keeping every column`)
  const other = team.ok(['migrate:status'], both)
  expect(other.stdout).toContain('applied both branches, in the other order')

  const fresh = await team.database('fresh')
  for (const db of [fresh, applied.sku, applied.weight, both]) {
    team.ok(['migrate:up'], db)
    expect(await db.columns('products')).toEqual(['description', 'id', 'name', 'price', 'sku', 'stock', 'weight'])
  }
  // The two databases that applied a migration under its old name: recorded under the new one, no drift.
  for (const db of [applied.weight, both]) {
    const status = team.ok(['migrate:status', '--exit-code'], db)
    expect(status.stdout).toContain('0 pending')
    expect(status.stdout).toContain('No drift')
    expect(status.stdout).not.toContain('before migrate:rebase')
  }
  const rows = async (db: typeof fresh) =>
    (await db.rows(`SELECT "id", "sku", "weight" FROM "products" ORDER BY "id"`)).map((r) => ({ id: r.id, sku: r.sku, weight: r.weight === null ? null : Number(r.weight) }))
  expect(await rows(fresh)).toEqual([])
  // The backfill of the hand-edited SQL ran where the moved migration ran after the rebase.
  expect(await rows(applied.sku)).toEqual([{ id: 'p1', sku: 'L-1', weight: options.generateSQL ? 1 : null }])
  expect(await rows(applied.weight)).toEqual([{ id: 'p2', sku: null, weight: 12.5 }])
  expect(await rows(both)).toEqual([{ id: 'p3', sku: null, weight: 4.5 }])
  // Every database records the same history under the same names.
  for (const db of [fresh, applied.sku, applied.weight, both]) {
    expect((await db.rows(`SELECT "id" FROM "_okra_migrations" ORDER BY "id"`)).map((r) => r.id)).toEqual(team.migrations())
  }
}
