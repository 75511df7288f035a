/**
 * The contract with the drivers (physical-types.ts): a database made by the rendered SQL introspects to
 * what toPhysical says, so after every migration diffing the database against the schema finds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { summaries } from '../../src/diff/summary'
import { introspectPostgres } from '../../src/dialects/postgres/introspect'
import { introspectSqlite } from '../../src/dialects/sqlite/introspect'
import { compileSchema } from '../../src/schema/compile'
import { toPhysical } from '../../src/schema/physical'
import type { DbSchema } from '../../src/schema/physical-types'
import { validFixtures } from '../fixtures/valid/load'
import { empty, physicalOf } from '../diff/helpers'
import { type Pg, type SqliteDb, migratePostgres, migrateSqlite, openPostgres, openSqlite } from './harness'
import { diffOf, typesOf } from '../helpers/dialects'

function sqliteSchema(db: SqliteDb): Promise<DbSchema> {
  return introspectSqlite({
    query: async <T,>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[],
    exec: async (sql: string) => void db.exec(sql),
  })
}

function postgresSchema(db: Pg): Promise<DbSchema> {
  return introspectPostgres({ query: db.query, exec: async (sql: string) => void (await db.query(sql)) }, db.schema)
}

/** What is left to do after migrating: nothing, when the SQL did what the diff said. */
async function leftOver(live: DbSchema, target: DbSchema): Promise<string[]> {
  const { changes } = await diffOf(live, target)
  return changes.map((c) => summaries([{ ...c, implied: undefined }])[0] ?? c.kind)
}

/** A chain of schemas, each migrated from the one before. */
const STEPS = [
  `enum Role { ADMIN USER }
model User {
  id: ID! @default(uuid)
  email: String! @unique
  name: String?
  role: Role! @default(USER)
  score: Float! @default(1.5)
  data: JSON! @default("{\\"b\\": 1, \\"a\\": 2}")
  born: DateTime @default("2024-01-01T10:00:00+02:00")
  updatedAt: DateTime! @default(now) @updatedAt
  posts: [Post!]!
}
model Post {
  id: Int! @id @default(autoincrement)
  title: String! @index
  big: BigInt! @default(9007199254740993)
  price: Decimal! @default("1.50")
  flag: Boolean! @default(true)
  raw: Bytes
  authorId: ID!
  author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags: [Tag!]!
}
model Tag {
  id: Int! @id
  posts: [Post!]!
}`,
]
STEPS.push(
  STEPS[0]!.replace('enum Role { ADMIN USER }', 'enum Role { OWNER ADMIN USER GUEST }')
    .replace('name: String?', 'fullName: String! @renamed(from: "name") @default("anonymous")')
    .replace('score: Float! @default(1.5)', 'score: Float! @default(-2)')
    .replace('title: String! @index', 'heading: String! @unique @renamed(from: "title")')
    .replace('onDelete: Cascade', 'onDelete: Restrict'),
)
STEPS.push(
  STEPS[1]!.replace('model User {', 'model Member {\n  @@renamed(from: "User")')
    .replace('author: User!', 'author: Member!')
    .replace('enum Role { OWNER ADMIN USER GUEST }', 'enum Role { OWNER ADMIN USER }')
    .replace('updatedAt: DateTime! @default(now) @updatedAt', 'changedAt: DateTime! @default(now) @updatedAt @renamed(from: "updatedAt")')
    .replace('big: BigInt! @default(9007199254740993)', 'big: BigInt')
    .replace('raw: Bytes', 'raw: Bytes @default("AQID")'),
)

describe('SQLite: the database introspects to the schema', () => {
  it('for every valid fixture', async () => {
    for (const fixture of validFixtures()) {
      const db = openSqlite()
      const target = toPhysical(compileSchema(fixture.sources).schema!, typesOf('sqlite'))
      await migrateSqlite(db, empty('sqlite'), target)
      expect(await leftOver(await sqliteSchema(db), target), fixture.name).toEqual([])
    }
  })

  it('after every step of a chain of migrations, migrating from what the database says, keeping the rows', async () => {
    const db = openSqlite()
    for (const [i, step] of STEPS.entries()) {
      const target = physicalOf(step, 'sqlite')
      await migrateSqlite(db, await sqliteSchema(db), target)
      expect(await leftOver(await sqliteSchema(db), target)).toEqual([])
      if (i === 0) db.exec(`INSERT INTO users (id, email, name) VALUES ('u1', 'a@x', 'Ann'); INSERT INTO posts (title, author_id) VALUES ('Hello', 'u1')`)
    }
    expect(db.prepare('SELECT id, full_name FROM members').all()).toEqual([{ id: 'u1', full_name: 'Ann' }])
    expect(db.prepare('SELECT heading, author_id, flag FROM posts').all()).toEqual([{ heading: 'Hello', author_id: 'u1', flag: 1 }])
  })
})

describe('PostgreSQL: the database introspects to the schema', () => {
  let db: Pg
  beforeAll(async () => {
    db = await openPostgres()
  }, 120_000)
  afterAll(async () => {
    await db?.close()
  })

  it('for every valid fixture', async () => {
    for (const fixture of validFixtures()) {
      const target = toPhysical(compileSchema(fixture.sources).schema!, typesOf('postgres'))
      await migratePostgres(db, empty('postgres'), target)
      expect(await leftOver(await postgresSchema(db), target), fixture.name).toEqual([])
      await migratePostgres(db, target, empty('postgres'))
    }
  })

  it('after every step of a chain of migrations, migrating from what the database says', async () => {
    for (const step of STEPS) {
      const target = physicalOf(step, 'postgres')
      // From the live database the hints still find their models by table name (no labels there).
      await migratePostgres(db, await postgresSchema(db), target)
      expect(await leftOver(await postgresSchema(db), target)).toEqual([])
    }
  })
})
