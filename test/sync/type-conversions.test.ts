/**
 * No silent difference between the databases when a column changes type: SQLite converts each value as
 * PostgreSQL's cast does, and a value PostgreSQL refuses fails the change on SQLite too, atomically, naming
 * the rows. Reproduces the operator's case first (`tag: String?` holding '20' and 'abc' made `Int?`: SQLite
 * kept 'abc' as text in an INTEGER column), then runs every pair side by side on both databases.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { usePgDatabase } from '../helpers/pg'
import { syncProject } from './helpers'

const pgdb = await usePgDatabase()

const ENUM = 'enum Role {\n  ADMIN\n  USER\n}\n'
const schemaWith = (type: string) => `${ENUM}model Item {\n  id: Int! @id\n  v: ${type}?\n}\n`

type Outcome = { ok: true; values: unknown[] } | { ok: false; message: string }

/** Syncs `Item.v` as `from`, inserts the values (SQL literals), changes it to `to` with consent; the values after, or the failure. */
async function convert(url: string | undefined, from: string, to: string, literals: string[]): Promise<Outcome & { before?: unknown[] }> {
  const p = syncProject({ url, schema: schemaWith(from) })
  await p.sync({ acceptDataLoss: true })
  const driver = await p.open()
  await driver.exec(`DELETE FROM items;\n${literals.map((v, i) => `INSERT INTO items (id, v) VALUES (${i + 1}, ${v});`).join('\n')}`)
  const read = async () => (await driver.query<{ v: unknown }>('SELECT v FROM items ORDER BY id')).map((r) => r.v)
  const before = await read()
  p.write(schemaWith(to))
  try {
    await p.sync({ acceptDataLoss: true, backup: false })
  } catch (error) {
    // Nothing changed: the old values are all there, in the old column.
    expect(await read()).toEqual(before)
    return { ok: false, message: (error as Error).message }
  }
  expect(await p.drift(driver)).toEqual([])
  return { ok: true, values: normalise(to, await read()) }
}

/** The values as the application reads them, whatever the database stores. */
function normalise(type: string, values: unknown[]): unknown[] {
  return values.map((v) => {
    if (v === null) return null
    if (type === 'Boolean') return v === true || v === 1
    if (type === 'Decimal' || type === 'BigInt') return Number(v)
    if (type === 'DateTime') return new Date(v instanceof Date ? v.getTime() : String(v)).toISOString()
    if (type === 'JSON') return typeof v === 'string' ? JSON.parse(v) : v
    return v
  })
}

const CASES: { from: string; to: string; values: string[]; expect: unknown[] | 'fails' }[] = [
  { from: 'String', to: 'Int', values: ["'20'", "'abc'"], expect: 'fails' },
  { from: 'String', to: 'Int', values: ["'20'", "' 7 '", "'-3'", "'+4'", 'NULL'], expect: [20, 7, -3, 4, null] },
  { from: 'String', to: 'Int', values: ["'2.5'"], expect: 'fails' },
  { from: 'String', to: 'Int', values: ["'1e3'"], expect: 'fails' },
  { from: 'String', to: 'Int', values: ["'2147483648'"], expect: 'fails' },
  { from: 'String', to: 'BigInt', values: ["'2147483648'", "'-9007199254740991'"], expect: [2147483648, -9007199254740991] },
  { from: 'String', to: 'Float', values: ["'1.5'", "'-2'", "'1e3'"], expect: [1.5, -2, 1000] },
  { from: 'String', to: 'Float', values: ["'1.5'", "'one'"], expect: 'fails' },
  { from: 'String', to: 'Decimal', values: ["'1.50'", "'-3'"], expect: [1.5, -3] },
  { from: 'String', to: 'Decimal', values: ["'1,5'"], expect: 'fails' },
  { from: 'String', to: 'Boolean', values: ["'true'", "'no'", "'1'", "'OFF'", "' t '", "'ye'"], expect: [true, false, true, false, true, true] },
  { from: 'String', to: 'Boolean', values: ["'maybe'"], expect: 'fails' },
  { from: 'String', to: 'JSON', values: ['\'{"a":1}\'', "'[1,2]'"], expect: [{ a: 1 }, [1, 2]] },
  { from: 'String', to: 'JSON', values: ["'{bad'"], expect: 'fails' },
  { from: 'String', to: 'DateTime', values: ["'2024-01-20 14:30:00'", "'2024-01-20T14:30:00.123'"], expect: ['2024-01-20T14:30:00.000Z', '2024-01-20T14:30:00.123Z'] },
  { from: 'String', to: 'DateTime', values: ["'not a date'"], expect: 'fails' },
  { from: 'String', to: 'Role', values: ["'ADMIN'", "'USER'"], expect: ['ADMIN', 'USER'] },
  { from: 'String', to: 'Role', values: ["'ADMIN'", "'GUEST'"], expect: 'fails' },
  { from: 'Int', to: 'Boolean', values: ['0', '5', '-1'], expect: [false, true, true] },
  { from: 'Float', to: 'Int', values: ['2.5', '3.5', '-2.5', '1.2', '-1.7'], expect: [2, 4, -2, 1, -2] },
  { from: 'Boolean', to: 'String', values: ['true', 'false'], expect: ['true', 'false'] },
  { from: 'Float', to: 'String', values: ['1.0', '1.5', '-0.25'], expect: ['1', '1.5', '-0.25'] },
  { from: 'Int', to: 'String', values: ['20', '-3'], expect: ['20', '-3'] },
  { from: 'Int', to: 'Float', values: ['20'], expect: [20] },
]

describe('a column changing type', () => {
  beforeEach(() => pgdb.reset())

  it('on SQLite, the operator\'s case fails naming the rows, and keeps every value where it was', async () => {
    const result = await convert(undefined, 'String', 'Int', ["'20'", "'abc'", "'x1'"])
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toContain(
      "items.v: 2 value(s) cannot become an Int (a whole number), as PostgreSQL would refuse them too. First rows: id = 2: 'abc'; id = 3: 'x1'. Fix or clear these values, then run again.",
    )
  })

  it.each(CASES)('$from -> $to with $values: the same on SQLite as on PostgreSQL', async ({ from, to, values, expect: expected }) => {
    const [sqlite, postgres] = [await convert(undefined, from, to, values), await convert(pgdb.url, from, to, values)]
    if (expected === 'fails') {
      expect(sqlite.ok, JSON.stringify(sqlite)).toBe(false)
      expect(postgres.ok, JSON.stringify(postgres)).toBe(false)
      expect(!sqlite.ok && sqlite.message).toMatch(/items\.v: \d+ value\(s\) cannot become/)
    } else {
      expect(postgres).toEqual({ ok: true, values: expected })
      expect(sqlite).toEqual({ ok: true, values: expected })
    }
  })
})

describe('a column rebuilt for another reason', () => {
  it('keeps its values as they are, also when read back from the database (no OKRA type known)', async () => {
    const p = syncProject({ schema: 'model Item {\n  id: Int! @id\n  at: DateTime?\n  flag: Boolean?\n}\n' })
    await p.sync()
    const driver = await p.open()
    await driver.exec("INSERT INTO items (id, at, flag) VALUES (1, '2024-01-20 14:30', 1)")
    // The repair path: without migrations/current, sync introspects (types TEXT and INTEGER only).
    const { rmSync } = await import('node:fs')
    rmSync(`${p.root}/migrations/current`, { recursive: true, force: true })
    p.write('model Item {\n  id: Int! @id\n  at: DateTime? @default(now)\n  flag: Boolean!\n}\n')
    await p.sync({ acceptDataLoss: true, backup: false })
    expect(await driver.query('SELECT at, flag FROM items')).toEqual([{ at: '2024-01-20 14:30', flag: 1 }])
  })
})
