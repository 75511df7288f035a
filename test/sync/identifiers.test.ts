/**
 * Identifier fuzzing. The schema language only admits plain identifiers, but a Schema also comes from
 * schema.json files (snapshots, migrations), which may hold any name: so the schemas here are compiled
 * from text and then given odd database names (quotes, semicolons, comment markers, unicode, reserved
 * words, 63-byte names) for tables, columns, enum types and enum values, with default literals of the
 * same kind. Every step's DDL must run, introspection must give every name back (an empty diff), and the
 * canary table, which an injection would drop or empty, keeps its row.
 */
import { describe, expect, it } from 'vitest'
import { sync } from '../../src/sync/sync'
import { loadConfig } from '../../src/config/load'
import { summaries } from '../../src/diff/index'
import { constraintName } from '../../src/schema/naming'
import { toPhysical } from '../../src/schema/physical'
import type { Schema } from '../../src/schema/types'
import { schemaOf } from '../diff/helpers'
import { usePgDatabase } from '../helpers/pg'
import { count, syncProject } from './helpers'
import { diffOf, typesOf } from '../helpers/dialects'

const pgdb = await usePgDatabase()

const LONG_TABLE = 't'.repeat(55) + '_é_ü' // 63 bytes
const LONG_COLUMN = 'c'.repeat(61) + 'ß' // 63 bytes
const EVIL_TABLE = `order"; DROP TABLE "canaries"; --`
const EVIL_COLUMN = `col'; DELETE FROM "canaries"; --"`
const UNICODE = 'naïve_名前_🙂'
const EVIL_LITERAL = `it's "quoted"; -- DROP TABLE canaries; /* not a comment */`
const EVIL_VALUE = `it's; --"x"`

/** Database names given to the compiled names (tables, columns, enum types and values). */
const ODD: Record<string, string> = {
  orders: EVIL_TABLE,
  users: LONG_TABLE,
  group: EVIL_COLUMN,
  where: UNICODE,
  long: LONG_COLUMN,
  table: `from"--;'`,
  select: 'select',
  kind: `kind "; DROP`,
  DELETE: EVIL_VALUE,
  FROM: 'FROM',
  WHERE: `wh'ere`,
}
const odd = (name: string) => ODD[name] ?? name
/**
 * The enum's PostgreSQL type name. It holds no `"`, whitespace or brackets: src/sql/postgres/ddl.ts
 * `sqlType` writes a column type with those verbatim, unquoted (reported to the renderer's owner).
 */
const ENUM_TYPE = `kind';--ü`

/** The schema with odd database names; index and key names recomputed from them, as the checker would. */
function oddify(schema: Schema): Schema {
  const copy = structuredClone(schema)
  for (const e of copy.enums) {
    e.dbName = ENUM_TYPE
    for (const v of e.values) v.name = odd(v.name)
  }
  for (const model of copy.models) {
    model.table = odd(model.table)
    const columnOf = (field: string) => {
      const f = model.fields.find((x) => x.name === field)
      return f && f.kind !== 'relation' ? f.column : field
    }
    for (const field of model.fields) {
      if (field.kind === 'relation') continue
      field.column = odd(field.column)
      if (field.kind === 'enum' && field.default?.kind === 'value') field.default = { kind: 'value', value: odd(String(field.default.value)) }
    }
    for (const index of model.indexes) index.name = constraintName(model.table, index.fields.map(columnOf), 'idx')
    for (const unique of model.uniques) unique.name = constraintName(model.table, unique.fields.map(columnOf), 'key')
    for (const fk of model.foreignKeys) fk.name = constraintName(model.table, fk.fields.map(columnOf), 'fkey')
  }
  return copy
}

const STEP_1 = `
enum Kind { ON DELETE FROM }
model Canary { id: Int! @id  note: String? }
model Order {
  id: Int! @id
  group: String! @default(${JSON.stringify(EVIL_LITERAL)})
  kind: Kind! @default(DELETE)
  where: String?
  @@index([group, where])
}
model User {
  id: Int! @id
  long: String? @unique
  orderId: Int!
  order: Order! @relation(fields: [orderId], references: [id], onDelete: Cascade)
}
`
/** Every kind of change on the odd names: enum value added, column added, type / nullability / default changed (a SQLite rebuild), index dropped. */
const STEP_2 = STEP_1.replace('enum Kind { ON DELETE FROM }', 'enum Kind { ON DELETE FROM WHERE }')
  .replace('  where: String?\n', `  where: String! @default(${JSON.stringify(EVIL_LITERAL)})\n  table: Int?\n`)
  .replace('  long: String? @unique\n', '  long: BigInt?\n')
/** Enum value removed, a column dropped, the default moved to another odd value. */
const STEP_3 = STEP_2.replace('enum Kind { ON DELETE FROM WHERE }', 'enum Kind { ON DELETE FROM }')
  .replace('kind: Kind! @default(DELETE)', 'kind: Kind! @default(FROM)')
  .replace('  table: Int?\n', '')

describe.each([
  ['SQLite', () => syncProject()],
  [`PostgreSQL (${pgdb.mode})`, () => syncProject({ url: pgdb.url })],
])('odd identifiers on %s', (_label, makeProject) => {
  it('every step runs, introspects to the same names, and the canary survives', async () => {
    const p = makeProject()
    const config = await loadConfig({ cwd: p.root, processEnv: {} })
    const driver = await p.open()
    const syncTo = async (text: string) => {
      const schema = oddify(schemaOf(text))
      const result = await sync({ project: { config, files: [], sources: [], schema, diagnostics: [] }, acceptDataLoss: true })
      const { changes } = await diffOf(await driver.introspect(), toPhysical(schema, typesOf(driver.provider)))
      expect(summaries(changes.map((c) => ({ ...c, implied: undefined })))).toEqual([])
      return result
    }
    await syncTo(STEP_1)
    const names = (await driver.introspect()).tables.map((t) => t.name)
    expect(names).toEqual([EVIL_TABLE, 'canaries', LONG_TABLE].sort())
    await driver.query('INSERT INTO "canaries" ("id", "note") VALUES (1, $1)', [EVIL_LITERAL])
    const evil = `"${EVIL_TABLE.replace(/"/g, '""')}"`
    await driver.query(`INSERT INTO ${evil} ("id") VALUES (7)`)
    await driver.query(`INSERT INTO "${LONG_TABLE}" ("id", "${LONG_COLUMN}", "order_id") VALUES (1, '42', 7)`)
    const [row] = await driver.query<Record<string, string>>(`SELECT * FROM ${evil}`)
    expect(row).toMatchObject({ [EVIL_COLUMN]: EVIL_LITERAL, [odd('kind')]: EVIL_VALUE, [UNICODE]: null })

    await syncTo(STEP_2)
    const [second] = await driver.query<Record<string, unknown>>(`SELECT * FROM ${evil}`)
    expect(second).toMatchObject({ [EVIL_COLUMN]: EVIL_LITERAL, [UNICODE]: EVIL_LITERAL, [odd('table')]: null })
    await syncTo(STEP_3)
    expect(await count(driver, 'canaries')).toBe(1)
    expect(await count(driver, EVIL_TABLE)).toBe(1)
    const [long] = await driver.query<Record<string, unknown>>(`SELECT "${LONG_COLUMN}" AS "v" FROM "${LONG_TABLE}"`)
    expect(Number(long!.v)).toBe(42)
  })
})
