/** The PostgreSQL statements run on a real PostgreSQL (each migration committed, as in production) and keep the data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renamesFrom } from '../../src/diff/renames'
import { toPhysical } from '../../src/schema/physical'
import type { DbSchema } from '../../src/schema/physical-types'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'
import { empty, physicalOf } from '../diff/helpers'
import { type Pg, migratePostgres, openPostgres } from './harness'
import { BLOG } from './schema-edits'
import { diffOf, typesOf } from '../helpers/dialects'

let db: Pg

beforeAll(async () => {
  db = await openPostgres()
}, 120_000)

afterAll(async () => {
  await db?.close()
})

/** Every test starts from an empty schema: drop what the last one left. */
async function fresh(): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${(await tables()).map((t) => `"${t.replace(/"/g, '""')}"`).join(', ') || '"_none_"'} CASCADE`)
  const types = await db.query<{ typname: string }>(`SELECT typname FROM pg_type WHERE typnamespace = current_schema()::regnamespace AND typtype = 'e'`)
  for (const t of types) await db.query(`DROP TYPE "${t.typname}" CASCADE`)
}

async function tables(): Promise<string[]> {
  const rows = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
  return rows.map((r) => r.tablename)
}

async function seed(): Promise<void> {
  await db.query(`INSERT INTO users (email, name) VALUES ('a@x', 'Ann'), ('b@x', NULL)`)
  await db.query(`INSERT INTO posts (title, author_id) VALUES ('one', 1), ('two', 1), ('three', 2)`)
}

describe('PostgreSQL: every valid fixture', () => {
  it('creates all tables and enum types from nothing, then drops them all again', async () => {
    for (const fixture of validFixtures()) {
      await fresh()
      const schema = toPhysical(compileSchema(fixture.sources).schema!, typesOf('postgres'))
      await migratePostgres(db, empty('postgres'), schema)
      expect(await tables(), fixture.name).toEqual(schema.tables.map((t) => t.name).sort())
      await migratePostgres(db, schema, empty('postgres'))
      expect(await tables(), fixture.name).toEqual([])
    }
  })
})

describe('PostgreSQL: defaults and triggers', () => {
  it('fills identities, uuids, timestamps and enum defaults in the database', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    const [user] = await db.query<Record<string, unknown>>('SELECT id, role, created_at FROM users WHERE id = 1')
    expect(user).toMatchObject({ id: 1, role: 'USER' })
    expect(user!.created_at).toBeInstanceOf(Date)
    const [post] = await db.query<{ id: string }>(`SELECT id FROM posts WHERE title = 'one'`)
    expect(post!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('keeps @updatedAt current unless the update sets it, also after renames', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    await db.query(`UPDATE users SET updated_at = '2000-01-01'`)
    await db.query(`UPDATE users SET name = 'Anna' WHERE id = 1`)
    const stamps = await db.query<{ y: number }>(`SELECT EXTRACT(YEAR FROM updated_at)::int AS y FROM users ORDER BY id`)
    expect(stamps[0]!.y).toBeGreaterThan(2000)
    expect(stamps[1]!.y).toBe(2000)
    const renamed = BLOG.replace('model User {', 'model Member {\n  @@renamed(from: "User")')
      .replace('author: User!', 'author: Member!')
      .replace('updatedAt: DateTime!', 'changedAt: DateTime! @renamed(from: "updatedAt")')
    await migratePostgres(db, BLOG, renamed)
    const triggers = await db.query<{ tgname: string; args: string }>(
      `SELECT tgname, encode(tgargs, 'escape') AS args FROM pg_trigger WHERE tgrelid = 'members'::regclass AND NOT tgisinternal`,
    )
    expect(triggers).toEqual([{ tgname: 'members_changed_at_updated_at', args: 'changed_at\\000' }])
    await db.query(`UPDATE members SET changed_at = '2000-01-01'`)
    await db.query(`UPDATE members SET name = 'Ann' WHERE id = 2`)
    const [after] = await db.query<{ y: number }>(`SELECT EXTRACT(YEAR FROM changed_at)::int AS y FROM members WHERE id = 2`)
    expect(after!.y).toBeGreaterThan(2000)
  })
})

describe('PostgreSQL: column changes keep the data', () => {
  it('changes type, nullability (filling NULLs with the default), and adds an identity that numbers after the rows', async () => {
    await fresh()
    const from = `model Item {\n  code: String! @id\n  qty: Int\n  label: String?\n  seq: Int!\n}`
    const to = `model Item {\n  code: String! @id\n  qty: BigInt!  @default(0)\n  label: String! @default("none")\n  seq: Int! @unique\n}`
    await migratePostgres(db, '', from)
    await db.query(`INSERT INTO items (code, qty, label, seq) VALUES ('a', 5, NULL, 1), ('b', NULL, 'x', 2)`)
    await migratePostgres(db, from, to)
    expect(await db.query(`SELECT code, qty::text AS qty, pg_typeof(qty)::text AS type, label FROM items ORDER BY code`)).toEqual([
      { code: 'a', qty: '5', type: 'bigint', label: 'none' },
      { code: 'b', qty: '0', type: 'bigint', label: 'x' },
    ])
    const identity = `model Item {\n  code: String!\n  seq: Int! @id @default(autoincrement)\n}`
    const twoColumns = `model Item {\n  code: String!\n  seq: Int! @id\n}`
    await fresh()
    await migratePostgres(db, '', twoColumns)
    await db.query(`INSERT INTO items (code, seq) VALUES ('a', 7)`)
    await migratePostgres(db, twoColumns, identity)
    await db.query(`INSERT INTO items (code) VALUES ('b')`)
    expect(await db.query(`SELECT code, seq FROM items ORDER BY seq`)).toEqual([
      { code: 'a', seq: 7 },
      { code: 'b', seq: 8 },
    ])
  })

  it('changes a primary key that a foreign key depends on', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    const to = BLOG.replace('id: Int! @id @default(autoincrement)', 'id: Int! @unique').replace('email: String! @unique', 'email: String! @id')
    await migratePostgres(db, BLOG, to)
    const [key] = await db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'p'`)
    expect(key!.def).toBe('PRIMARY KEY (email)')
    expect(await db.query('SELECT COUNT(*)::int AS n FROM posts')).toEqual([{ n: 3 }])
  })

  it('renames tables and columns, the children following', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    const to = BLOG.replace('model User {', 'model Author {').replace('author: User!', 'author: Author!').replace('title: String!', 'heading: String!')
    await migratePostgres(db, BLOG, to, { renames: renamesFrom(['users->authors', 'posts.title->posts.heading']) })
    expect(await db.query('SELECT heading FROM posts ORDER BY heading')).toEqual([{ heading: 'one' }, { heading: 'three' }, { heading: 'two' }])
    await db.query('DELETE FROM authors WHERE id = 1')
    expect(await db.query('SELECT COUNT(*)::int AS n FROM posts')).toEqual([{ n: 1 }])
    const indexes = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'authors' ORDER BY indexname`)
    expect(indexes.map((i) => i.indexname)).toEqual(['authors_email_key', 'authors_pkey'])
  })
})

describe('PostgreSQL: many-to-many links follow a renamed model', () => {
  it('renames the join table and its columns instead of dropping the links', async () => {
    await fresh()
    const from = `model User {\n  id: Int! @id\n  tags: [Tag!]!\n}\nmodel Tag {\n  id: Int! @id\n  users: [User!]!\n}`
    const to = from.replace('model User {', 'model Member {\n  @@renamed(from: "User")').replace('users: [User!]!', 'members: [Member!]!')
    await migratePostgres(db, '', from)
    await db.query('INSERT INTO users (id) VALUES (1), (2)')
    await db.query('INSERT INTO tags (id) VALUES (10)')
    await db.query('INSERT INTO tags_to_users (tag_id, user_id) VALUES (10, 1), (10, 2)')
    await migratePostgres(db, from, to)
    expect(await db.query('SELECT member_id, tag_id FROM members_to_tags ORDER BY member_id')).toEqual([
      { member_id: 1, tag_id: 10 },
      { member_id: 2, tag_id: 10 },
    ])
    const key = await db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'members_to_tags'::regclass AND contype = 'p'`)
    expect(key).toEqual([{ def: 'PRIMARY KEY (member_id, tag_id)' }])
  })
})

describe('PostgreSQL: enum types', () => {
  it('adds a value with ADD VALUE after a committed type, in declared order', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await migratePostgres(db, BLOG, BLOG.replace('enum Role { ADMIN USER }', 'enum Role { OWNER ADMIN MODERATOR USER }'))
    const values = await db.query<{ v: string }>(`SELECT unnest(enum_range(NULL::role))::text AS v`)
    expect(values.map((r) => r.v)).toEqual(['OWNER', 'ADMIN', 'MODERATOR', 'USER'])
  })

  it('adds a value used as a default in the same migration, by swapping the type', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    const to = BLOG.replace('enum Role { ADMIN USER }', 'enum Role { ADMIN USER GUEST }').replace('@default(USER)', '@default(GUEST)')
    await migratePostgres(db, BLOG, to)
    await db.query(`INSERT INTO users (email) VALUES ('c@x')`)
    expect(await db.query('SELECT role::text AS role FROM users ORDER BY id')).toEqual([{ role: 'USER' }, { role: 'USER' }, { role: 'GUEST' }])
  })

  it('removes an unused value, and refuses (rolling back) to remove one in use', async () => {
    await fresh()
    const three = BLOG.replace('enum Role { ADMIN USER }', 'enum Role { ADMIN USER GUEST }')
    await migratePostgres(db, '', three)
    await seed()
    await migratePostgres(db, three, BLOG)
    const values = await db.query<{ v: string }>(`SELECT unnest(enum_range(NULL::role))::text AS v`)
    expect(values.map((r) => r.v)).toEqual(['ADMIN', 'USER'])
    const noUser = BLOG.replace('enum Role { ADMIN USER }', 'enum Role { ADMIN }').replace('@default(USER)', '@default(ADMIN)')
    await expect(migratePostgres(db, BLOG, noUser)).rejects.toThrow('invalid input value for enum role: "USER"')
    expect(await db.query('SELECT COUNT(*)::int AS n FROM users')).toEqual([{ n: 2 }])
    expect(await db.query(`SELECT typname FROM pg_type WHERE typnamespace = current_schema()::regnamespace AND typtype = 'e'`)).toEqual([{ typname: 'role' }])
  })
})

describe('PostgreSQL: names and values that need quoting', () => {
  it('creates, fills and alters a table named Order with a column named select and a default holding quote, backslash and --', async () => {
    await fresh()
    const schema = (): DbSchema => {
      const s = physicalOf(`model Order {\n  id: Int! @id @default(autoincrement)\n  select: String! @default("it's -- \\\\ not; a comment")\n  group: String?\n}`, 'postgres')
      s.tables[0]!.name = 'or"der; --'
      s.tables[0]!.columns[2]!.name = 'gr"oüp'
      return s
    }
    await migratePostgres(db, empty('postgres'), schema())
    await db.query(`INSERT INTO "or""der; --" ("gr""oüp") VALUES ('g')`)
    expect(await db.query(`SELECT * FROM "or""der; --"`)).toEqual([{ id: 1, select: "it's -- \\ not; a comment", 'gr"oüp': 'g' }])
    const to = schema()
    to.tables[0]!.columns[2]!.nullable = false
    to.tables[0]!.columns[2]!.default = { kind: 'value', value: `--'"\\` }
    await migratePostgres(db, schema(), to)
    await db.query(`INSERT INTO "or""der; --" DEFAULT VALUES`)
    expect(await db.query(`SELECT "gr""oüp" AS g FROM "or""der; --" ORDER BY id`)).toEqual([{ g: 'g' }, { g: `--'"\\` }])
  })

  it('counts the rows at risk with the same queries as SQLite', async () => {
    await fresh()
    await migratePostgres(db, '', BLOG)
    await seed()
    const to = BLOG.replace('name: String?', 'name: String!').replace('title: String!', 'title: String! @unique')
    const { changes } = await diffOf(physicalOf(BLOG, 'postgres'), physicalOf(to, 'postgres'))
    const counts = []
    for (const change of changes) {
      if (change.safety.level !== 'destructive') continue
      for (const risk of change.safety.risks) counts.push(Number((await db.query<{ count: string }>(risk.countSql))[0]!.count))
    }
    expect(counts).toEqual([1, 0])
  })
})
