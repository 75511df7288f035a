/**
 * The differ does not look inside a table written the same on both sides (diff.ts, unchangedTables). That
 * must never change what it finds: each case here diffs a synthetic schema against a randomly edited copy
 * twice, once as is and once with `from` rebuilt with its keys in another order, which makes no table's
 * JSON match and so sends every table through the full comparison. The two results must be equal.
 */
import { describe, expect, it } from 'vitest'
import type { DbColumn, DbSchema, DbTable, Provider } from '../../src/schema/physical-types'
import { prng, syntheticSchema } from '../../bench/lib/synthetic.mjs'
import { diffOf } from '../helpers/dialects'
import { physicalOf } from './helpers'

/** A deep copy with every object's keys in reverse order: equal to `value`, but not as JSON text. */
function reordered<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reordered) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).reverse().map(([key, v]) => [key, reordered(v)])) as T
}

const copy = <T>(value: T): T => structuredClone(value)

/** One random edit of `schema` (in place); some touch a table others reference, so their foreign keys follow. */
function edit(schema: DbSchema, random: () => number): void {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
  const table = pick(schema.tables)
  const column = pick(table.columns)
  // Only what nothing refers to is dropped or renamed, so every edit leaves a schema a database can have.
  const referenced = schema.tables.some((t) => t !== table && t.foreignKeys.some((fk) => fk.refTable === table.name))
  const used =
    referenced ||
    table.primaryKey.includes(column.name) ||
    table.indexes.some((i) => i.columns.includes(column.name)) ||
    table.foreignKeys.some((fk) => fk.columns.includes(column.name) || (fk.refTable === table.name && fk.refColumns.includes(column.name)))
  const extra = (name: string): DbColumn => ({ name, type: column.type, nullable: true, default: null, autoincrement: false, updatedAt: false })
  const edits: (() => void)[] = [
    () => (column.nullable = !column.nullable),
    () => (column.type = pick(table.columns).type === column.type ? `${column.type}X` : pick(table.columns).type),
    () => (column.default = column.default ? null : { kind: 'value', value: 'x' }),
    () => (table.columns = used ? table.columns : table.columns.filter((c) => c !== column)),
    () => table.columns.push(extra(`extra_${Math.floor(random() * 1000)}`)),
    () => (schema.tables = referenced ? schema.tables : schema.tables.filter((t) => t !== table)),
    () => {
      if (referenced) return
      const renamed: DbTable = { ...table, name: `${table.name}_renamed`, renamedFrom: table.model ? [table.model] : undefined }
      schema.tables = [...schema.tables.filter((t) => t !== table), renamed].sort((a, b) => (a.name < b.name ? -1 : 1))
    },
    () => {
      if (used) return
      column.renamedFrom = [column.field ?? column.name]
      column.name = `${column.name}_renamed`
      column.field = `${column.field ?? column.name}Renamed`
    },
    () => (table.primaryKey = [pick(table.columns).name]),
    () => table.indexes.push({ name: `${table.name}_extra_idx`, columns: [column.name], unique: random() < 0.5 }),
    () => (table.indexes = table.indexes.slice(1)),
    () => table.foreignKeys.forEach((fk) => (fk.onDelete = fk.onDelete === 'Cascade' ? 'SetNull' : 'Cascade')),
    () => {
      // The referenced table's key changes its stored type: foreign keys pointing at it are recreated (PostgreSQL).
      const referenced = schema.tables.find((t) => t.name === pick(schema.tables.flatMap((t) => t.foreignKeys))?.refTable)
      const key = referenced?.columns.find((c) => c.name === referenced.primaryKey[0])
      if (key) key.type = `${key.type}X`
    },
    () => {
      const values = schema.enums[0]?.values ?? column.enumValues
      if (values) values.push(`EXTRA${Math.floor(random() * 1000)}`)
    },
  ]
  pick(edits)()
}

describe('diff: tables that come through unchanged', () => {
  for (const provider of ['sqlite', 'postgres'] as Provider[]) {
    it(`finds what the full comparison finds (${provider}, 120 random edits)`, async () => {
      const base = physicalOf(syntheticSchema(30, { seed: 7 }), provider)
      const random = prng(provider === 'sqlite' ? 11 : 12)
      let changed = 0
      for (let trial = 0; trial < 120; trial++) {
        const to = copy(base)
        const edits = 1 + Math.floor(random() * 3)
        for (let i = 0; i < edits; i++) edit(to, random)
        const fast = await diffOf(base, to)
        const full = await diffOf(reordered(base), to)
        expect(fast, `trial ${trial}`).toEqual(full)
        if (fast.changes.length > 0) changed++
      }
      // The edits do change things (else the comparison above proves little).
      expect(changed).toBeGreaterThan(80)
    })
  }

  it('a schema diffed against itself, in either key order, has no changes', async () => {
    const schema = physicalOf(syntheticSchema(30, { seed: 7 }), 'postgres')
    expect((await diffOf(schema, copy(schema))).changes).toEqual([])
    expect((await diffOf(reordered(schema), schema)).changes).toEqual([])
  })
})
