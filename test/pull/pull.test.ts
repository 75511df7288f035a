/**
 * `okra db:pull` as a team with an existing database runs it (the built CLI, whole processes), on three
 * databases: a 20-table shop made by hand in PostgreSQL, the same in SQLite, and a database OKRA made.
 * Each time: the schema is written, `db:sync` has nothing to do, the generated TypeScript passes
 * `tsc --strict`; `--baseline` starts a history that `migrate:up` continues on that database and
 * replays in full on an empty one.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { constraintName } from '../../src/schema/naming'
import type { DbIndex, DbSchema, DbTable } from '../../src/schema/physical-types'
import { run } from '../codegen/toolchains'
import { okraProcess } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir, writeFiles } from '../helpers/tmp'

const pgdb = await usePgDatabase()
const fixture = (name: string) => readFileSync(new URL(`../fixtures/pull/${name}`, import.meta.url), 'utf8')
const tsc = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsc')

function okra(root: string, ...args: string[]) {
  return okraProcess(args, { cwd: root })
}

function ok(root: string, ...args: string[]) {
  const r = okra(root, ...args)
  if (r.code !== 0) throw new Error(`okra ${args.join(' ')} exited ${r.code}:\n${r.stdout}${r.stderr}`)
  return r
}

function project(database: Record<string, unknown>): string {
  const root = makeTempDir('okra-pull-')
  writeFiles(root, { 'okra.config.json': JSON.stringify({ database, generate: { typescript: { out: './generated/models.ts' } } }) })
  return root
}

async function runSql(url: string, root: string, sql: string): Promise<void> {
  const driver = await openDriver(url, { root })
  try {
    await driver.exec(sql)
  } finally {
    await driver.close()
  }
}

async function introspect(url: string, root: string): Promise<DbSchema> {
  const driver = await openDriver(url, { root })
  try {
    return await driver.introspect()
  } finally {
    await driver.close()
  }
}

/** The database's structure, an inline UNIQUE (SQLite names it itself) taken as the unique index OKRA makes for it. */
function structure(db: DbSchema): unknown {
  const named = (t: DbTable, i: DbIndex) => (i.name.startsWith('sqlite_autoindex_') ? constraintName(t.name, i.columns, 'key') : i.name)
  return db.tables.map((t) => ({ ...t, indexes: t.indexes.map((i) => ({ ...i, name: named(t, i) })).sort((a, b) => (a.name < b.name ? -1 : 1)) }))
}

/** Pull, then what a user checks: nothing to sync, nothing to snapshot beyond the baseline, types that compile. */
function pullAndCheck(root: string): string {
  const pulled = ok(root, 'db:pull')
  expect(pulled.stderr).toBe('')
  expect(pulled.stdout).toMatch(/^✓ Wrote models\.okra\.gql: 20 models, 3 enums from 20 tables of /)
  expect(pulled.stdout).toContain('✓ The schema is the database: db:sync would change nothing.')
  const text = readFileSync(join(root, 'models.okra.gql'), 'utf8')
  expect(ok(root, 'db:sync').stdout).toMatch(/^✓ Already in sync/)
  expect(ok(root, 'db:validate').stdout).toMatch(/^✓ 20 models, 3 enums in 1 file/)
  ok(root, 'models:generate')
  const compiled = run(tsc, ['--strict', '--noEmit', '--exactOptionalPropertyTypes', 'generated/models.ts'], root)
  expect(compiled.code, compiled.output).toBe(0)
  // The same database pulls to the same text, byte for byte.
  ok(root, 'db:pull', '--force')
  expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toBe(text)
  return text
}

/** What a hand-made shop must come back as, whatever the provider. */
function expectShop(text: string): void {
  for (const piece of [
    'model Customer {',
    '@@map("Customer")',
    'customerId:',
    '@map("CustomerID")',
    'model Order {',
    '@@map("order")',
    '@@id([orderId, lineNo])',
    '@@id([warehouseCode, productId])',
    'slug:               String! @unique(map: "uq_category_slug")',
    'map: "fk_review_product"',
    '@@unique([productId, customerId], map: "one_review_per_customer")',
    '@@index([entity, entityId], map: "audit_entity_idx")',
    'name:             String! @index(map: "idx_products_name")',
    'billingAddress:    Address? @relation(name: "OrderBillingAddress"',
    'ordersByShippingAddress: [Order!]! @relation(name: "OrderShippingAddress")',
    'parent:             Category? @relation(name: "CategoryParent", fields: [parentId], references: [id]',
    'categoriesByParent: [Category!]! @relation(name: "CategoryParent")',
    'shipment:          Shipment?',
    'model ProductTag {',
    'updatedAt:        DateTime! @updatedAt',
    'key:       String! @id @db(type: "VARCHAR(64)")',
    'createdAt:   DateTime? @default(now)',
  ]) {
    expect(text).toContain(piece)
  }
}

describe('okra db:pull on a shop made by hand', () => {
  beforeEach(() => pgdb.reset())

  it('PostgreSQL: enum types, identity and serial keys, TIMESTAMPTZ, JSON and JSONB; then --baseline and migrate:up', async () => {
    const root = project({ provider: 'postgres', url: pgdb.url, environments: { fresh: { provider: 'postgres', url: `${pgdb.url}?schema=fresh` } } })
    await runSql(pgdb.url, root, fixture('shop.postgres.sql'))
    const text = pullAndCheck(root)
    expectShop(text)
    for (const piece of ['enum OrderStatus', 'enum Mood', 'enum PaymentMethod', 'status:            OrderStatus! @default(pending)', '@db(type: "TIMESTAMPTZ")', 'data:     JSON? @db(type: "JSON")', 'id:       BigInt! @default(autoincrement)']) {
      expect(text).toContain(piece)
    }
    await baselineThenReplay(root, pgdb.url, `${pgdb.url}?schema=fresh`, async () => runSql(pgdb.url, root, 'CREATE SCHEMA fresh'))
  })

  it('SQLite: CHECK lists as enums, inline UNIQUE columns, DATETIME, BOOLEAN, NUMERIC(10,2); then --baseline and migrate:up', async () => {
    const root = project({ provider: 'sqlite', url: 'sqlite://./shop.db', environments: { fresh: { provider: 'sqlite', url: 'sqlite://./fresh.db' } } })
    await runSql(`sqlite://${join(root, 'shop.db')}`, root, fixture('shop.sqlite.sql'))
    const text = pullAndCheck(root)
    expectShop(text)
    for (const piece of ['enum Status', 'enum Method', 'isDefault:               Boolean! @default(false) @db(type: "BOOLEAN")', 'sku:              String! @unique @db(type: "VARCHAR(32)")', '@db(type: "NUMERIC(10,2)")']) {
      expect(text).toContain(piece)
    }
    expect(text).not.toContain('sqlite_autoindex')
    await baselineThenReplay(root, `sqlite://${join(root, 'shop.db')}`, `sqlite://${join(root, 'fresh.db')}`)
  })
})

/**
 * `--baseline`: the first migration, recorded applied where it was pulled from; `migrate:up` has nothing
 * to do there, and on an empty database it builds the same structure.
 */
async function baselineThenReplay(root: string, url: string, freshUrl: string, prepareFresh?: () => Promise<void>): Promise<void> {
  const pulled = ok(root, 'db:pull', '--force', '--baseline')
  expect(pulled.stdout).toMatch(/✓ Wrote migrations\/\d{8}_\d{6}_baseline\/ \(schema\.json\) and recorded it applied on /)
  expect(ok(root, 'db:diff').stdout).toBe('✓ No changes since the snapshot\n')
  expect(ok(root, 'migrate:status').stdout).toMatch(/^✓ \d{8}_\d{6}_baseline {2}applied .*\n1 applied, 0 pending/)
  expect(ok(root, 'migrate:up').stdout).toMatch(/^Already up to date/)
  await prepareFresh?.()
  ok(root, 'migrate:up', '--env', 'fresh')
  expect(structure(await introspect(freshUrl, root))).toEqual(structure(await introspect(url, root)))
  // A second baseline would start a second history: refused, nothing written.
  const again = okra(root, 'db:pull', '--force', '--baseline')
  expect(again.code).toBe(1)
  expect(again.stderr).toContain('migrations/ already holds 1 migration: a baseline starts a history, so none was written')
}

describe('okra db:pull on a database OKRA made', () => {
  const SCHEMA = `enum Role { ADMIN MEMBER }
enum Plan { FREE PRO }
model Account {
  id: ID! @default(uuid)
  email: String! @unique
  role: Role! @default(MEMBER)
  plan: Plan?
  createdAt: DateTime! @default(now)
  updatedAt: DateTime! @updatedAt
  posts: [Post!]!
  groups: [Group!]!
  followers: [Account!]! @relation(name: "Follows")
  following: [Account!]! @relation(name: "Follows")
  @@map("members")
}
model Post {
  id: Int! @id @default(autoincrement)
  title: String! @map("headline")
  authorId: ID!
  author: Account! @relation(fields: [authorId], references: [id], onDelete: Cascade)
  editorId: ID?
  editor: Account? @relation(name: "PostEditor", fields: [editorId], references: [id])
  @@index([authorId, title])
}
model Group {
  id: Int! @id
  name: String!
  members: [Account!]!
}
model Membership {
  groupId: Int!
  accountId: ID!
  since: DateTime!
  @@id([groupId, accountId])
}
`
  for (const provider of ['sqlite', 'postgres'] as const) {
    it(`${provider}: pulled into a new project, implicit many-to-many tables become list fields again`, async () => {
      if (provider === 'postgres') await pgdb.reset()
      const made = makeTempDir('okra-made-')
      const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(made, 'app.db')}`
      writeFiles(made, { 'okra.config.json': JSON.stringify({ database: { provider, url } }), 'models.okra.gql': SCHEMA.replace('editor: Account?', 'editor: Account?').replace('posts: [Post!]!', 'posts: [Post!]!\n  edited: [Post!]! @relation(name: "PostEditor")') })
      ok(made, 'db:sync')

      const root = project({ provider, url })
      const pulled = ok(root, 'db:pull')
      expect(pulled.stderr).toBe('')
      expect(pulled.stdout).toContain('✓ The schema is the database: db:sync would change nothing.')
      const text = readFileSync(join(root, 'models.okra.gql'), 'utf8')
      expect(text).not.toMatch(/model (AccountToGroup|Follow)/)
      expect(text).toMatch(/groups: +\[Group!\]!/)
      expect(text).toMatch(/accounts: +\[Account!\]!/)
      expect(text).toMatch(/@relation\(name: "Follows"\)/)
      expect(text).toContain('@@map("members")')
      expect(text).toContain('headline: String!')
      expect(text).toContain('@@id([groupId, accountId])')
      expect(ok(root, 'db:sync').stdout).toMatch(/^✓ Already in sync/)
      ok(root, 'models:generate')
      const compiled = run(tsc, ['--strict', '--noEmit', 'generated/models.ts'], root)
      expect(compiled.code, compiled.output).toBe(0)
    })
  }
})

describe('what db:pull cannot express, and what it will not overwrite', () => {
  beforeEach(() => pgdb.reset())

  it('a table without a primary key, an array column, a computed default: comments, warnings, and what db:sync would do', async () => {
    const root = project({ provider: 'postgres', url: pgdb.url })
    await runSql(pgdb.url, root, `
      CREATE TABLE events (id SERIAL PRIMARY KEY, tags TEXT[], due TIMESTAMPTZ DEFAULT now() + interval '1 day', label TEXT NOT NULL);
      CREATE TABLE raw_log (line TEXT);`)
    const r = ok(root, 'db:pull')
    expect(r.stderr).toContain("warning: raw_log: table left out: it has no primary key, and every OKRA model needs one")
    expect(r.stderr).toContain('warning: events.tags: column left out: its type TEXT[] cannot be written in @db(type:)')
    expect(r.stderr).toMatch(/warning: events\.due: its default \(now\(\) \+ '1 day'::interval\) is an expression OKRA cannot write/)
    expect(r.stderr).toContain('db:sync would:')
    expect(r.stderr).toContain("- Removed model 'raw_log'")
    const text = readFileSync(join(root, 'models.okra.gql'), 'utf8')
    expect(text).toContain('# table raw_log is left out: it has no primary key')
    expect(text).toContain('# tags TEXT[]: left out, a type OKRA cannot express')
    expect(text).toMatch(/# default \(now\(\) \+ '1 day'::interval\) is not kept \(an expression\)\n {2}due: +DateTime\? @db\(type: "TIMESTAMPTZ"\)/)
  })

  it('an existing schema file needs --force; other schema files are never overwritten', async () => {
    const root = project({ provider: 'sqlite', url: 'sqlite://./app.db', schemas: ['**/*.okra.gql'] })
    await runSql(`sqlite://${join(root, 'app.db')}`, root, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    writeFileSync(join(root, 'models.okra.gql'), 'model Old {\n  id: Int! @id\n}\n')
    const refused = okra(root, 'db:pull')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('models.okra.gql exists: db:pull writes the whole schema from the database into it')
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toContain('model Old')
    writeFileSync(join(root, 'extra.okra.gql'), 'model Extra {\n  id: Int! @id\n}\n')
    const others = okra(root, 'db:pull', '--force')
    expect(others.code).toBe(1)
    expect(others.stderr).toContain('Schema files exist (extra.okra.gql)')
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toContain('model Old')
    rmSync(join(root, 'extra.okra.gql'))
    expect(ok(root, 'db:pull', '--force').stdout).toContain('✓ Wrote models.okra.gql: 1 model, 0 enums from 1 table')
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toContain('model Note {')
  })
})
