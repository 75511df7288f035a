/**
 * A SQLite database made by hand with inline UNIQUE columns: SQLite names their indexes
 * `sqlite_autoindex_<table>_<n>` and refuses to drop or rename them. They are the unique constraints of
 * the schema under another name: `db:sync` leaves them, and removes one only by rebuilding the table.
 */
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

const SCHEMA = `model Product {
  id: Int! @id
  sku: String! @unique
  code: String? @unique
  name: String?
}
`

it('db:sync against inline UNIQUE columns: nothing to change, then a removed @unique rebuilds the table, keeping the rows', async () => {
  const root = makeTempDir('okra-autoindex-')
  const url = `sqlite://${join(root, 'shop.db')}`
  writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { provider: 'sqlite', url } }), 'models.okra.gql': SCHEMA })
  const driver = await openDriver(url)
  await driver.exec(`CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, code TEXT UNIQUE, name TEXT);
    INSERT INTO products VALUES (1, 'A-1', 'x', 'Apple'), (2, 'B-2', NULL, 'Pear');`)
  expect((await driver.introspect()).tables[0]!.indexes.map((i) => i.name)).toEqual(['sqlite_autoindex_products_1', 'sqlite_autoindex_products_2'])
  await driver.close()

  const first = okraProcess(['db:sync'], { cwd: root })
  expect(first.stderr).toBe('')
  expect(first.code).toBe(0)
  expect(first.stdout).not.toMatch(/^[+~-] /m)
  expect(okraProcess(['db:diff', '--sql'], { cwd: root }).stdout).not.toContain('sqlite_autoindex')

  writeFiles(root, { 'models.okra.gql': SCHEMA.replace('code: String? @unique', 'code: String?') })
  const second = okraProcess(['db:sync'], { cwd: root })
  expect(second.stderr).toBe('')
  expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining('- Removed unique constraint on Product(code)') })
  const after = await openDriver(url)
  try {
    const table = (await after.introspect()).tables[0]!
    expect(table.indexes).toEqual([{ name: 'products_sku_key', columns: ['sku'], unique: true }])
    expect(await after.query('SELECT * FROM products ORDER BY id')).toEqual([
      { id: 1, sku: 'A-1', code: 'x', name: 'Apple' },
      { id: 2, sku: 'B-2', code: null, name: 'Pear' },
    ])
    await expect(after.query(`INSERT INTO products (id, sku) VALUES (3, 'A-1')`)).rejects.toThrow(/UNIQUE/)
  } finally {
    await after.close()
  }
  expect(okraProcess(['db:sync'], { cwd: root }).stdout).toMatch(/^✓ Already in sync/)
})

it('an inline UNIQUE column renamed with @map after the first sync: renamed in place, its constraint still holds', async () => {
  const root = makeTempDir('okra-autoindex-')
  const url = `sqlite://${join(root, 'shop.db')}`
  writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { provider: 'sqlite', url } }), 'models.okra.gql': SCHEMA })
  const driver = await openDriver(url)
  await driver.exec(`CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, code TEXT UNIQUE, name TEXT);
    INSERT INTO products VALUES (1, 'A-1', 'x', 'Apple');`)
  await driver.close()
  expect(okraProcess(['db:sync'], { cwd: root }).code).toBe(0)
  writeFiles(root, { 'models.okra.gql': SCHEMA.replace('code: String? @unique', 'code: String? @unique @map("ref")') })
  const renamed = okraProcess(['db:sync'], { cwd: root })
  expect(renamed.stderr).toBe('')
  expect(renamed.stdout).toContain("~ Renamed column of field 'code' on Product from 'code' to 'ref'")
  const after = await openDriver(url)
  try {
    expect((await after.introspect()).tables[0]!.indexes).toEqual([
      { name: 'sqlite_autoindex_products_1', columns: ['sku'], unique: true },
      { name: 'sqlite_autoindex_products_2', columns: ['ref'], unique: true },
    ])
    expect(await after.query('SELECT ref FROM products')).toEqual([{ ref: 'x' }])
    await expect(after.query(`INSERT INTO products (id, sku, ref) VALUES (2, 'B-2', 'x')`)).rejects.toThrow(/UNIQUE/)
  } finally {
    await after.close()
  }
  expect(okraProcess(['db:sync'], { cwd: root }).stdout).toMatch(/^✓ Already in sync/)
  // Then dropping that constraint: the fast path knows it as products_ref_key; the real name is read first.
  writeFiles(root, { 'models.okra.gql': SCHEMA.replace('code: String? @unique', 'code: String? @map("ref")') })
  expect(okraProcess(['db:sync'], { cwd: root })).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('- Removed unique constraint on Product(code)') })
})
