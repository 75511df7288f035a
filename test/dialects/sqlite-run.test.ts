/** The SQLite statements run on a real SQLite and keep the data. */
import { describe, expect, it } from 'vitest'
import { renderSqlite } from '../../src/dialects/sqlite/render'
import { toPhysical } from '../../src/schema/physical'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'
import { empty, physicalOf } from '../diff/helpers'
import type { DbSchema } from '../../src/schema/physical-types'
import { migrateSqlite, openSqlite } from './harness'
import { BLOG } from './schema-edits'
import { renamesFrom } from '../../src/diff/renames'
import { diffOf, typesOf } from '../helpers/dialects'

function seed(db: ReturnType<typeof openSqlite>) {
  db.exec(`INSERT INTO users (email, name) VALUES ('a@x', 'Ann'), ('b@x', NULL)`)
  db.exec(`INSERT INTO posts (title, author_id) VALUES ('one', 1), ('two', 1), ('three', 2)`)
}

describe('SQLite: every valid fixture', () => {
  it('creates all tables from nothing, then drops them all again', async () => {
    for (const fixture of validFixtures()) {
      const db = openSqlite()
      const schema = toPhysical(compileSchema(fixture.sources).schema!, typesOf('sqlite'))
      await migrateSqlite(db, empty('sqlite'), schema)
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]
      expect(tables.map((t) => t.name), fixture.name).toEqual(schema.tables.map((t) => t.name))
      await migrateSqlite(db, schema, empty('sqlite'))
      expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master`).get(), fixture.name).toEqual({ n: 0 })
      db.close()
    }
  })
})

describe('SQLite: defaults and triggers', () => {
  it('fills ids, uuids, timestamps and enum defaults in the database', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    const user = db.prepare('SELECT * FROM users WHERE id = 1').get() as Record<string, unknown>
    expect(user).toMatchObject({ id: 1, email: 'a@x', role: 'USER' })
    expect(user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const post = db.prepare(`SELECT id FROM posts WHERE title = 'one'`).get() as { id: string }
    expect(post.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(() => db.exec(`INSERT INTO users (email, role) VALUES ('c@x', 'ROOT')`)).toThrow('CHECK constraint failed')
  })

  it('keeps @updatedAt current unless the update sets it, also after renames', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    const stamp = () => (db.prepare('SELECT updated_at FROM users WHERE id = 1').get() as { updated_at: string }).updated_at
    db.exec(`UPDATE users SET updated_at = '2000-01-01T00:00:00.000Z'`)
    expect(stamp()).toBe('2000-01-01T00:00:00.000Z')
    db.exec(`UPDATE users SET name = 'Anna' WHERE id = 1`)
    expect(stamp()).not.toBe('2000-01-01T00:00:00.000Z')
    const renamed = BLOG.replace('model User {', 'model Member {\n  @@renamed(from: "User")')
      .replace('author: User!', 'author: Member!')
      .replace('updatedAt: DateTime!', 'changedAt: DateTime! @renamed(from: "updatedAt")')
    await migrateSqlite(db, BLOG, renamed)
    const triggers = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).all()
    expect(triggers).toEqual([{ name: 'members_changed_at_updated_at' }])
    db.exec(`UPDATE members SET changed_at = '2000-01-01T00:00:00.000Z'`)
    db.exec(`UPDATE members SET name = 'Ann' WHERE id = 1`)
    const after = db.prepare('SELECT changed_at FROM members WHERE id = 1').get() as { changed_at: string }
    expect(after.changed_at).not.toBe('2000-01-01T00:00:00.000Z')
  })
})

describe('SQLite: table rebuilds', () => {
  it('rebuilds a parent table without deleting the rows of its ON DELETE CASCADE children', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    // name becomes required with a default: ALTER TABLE cannot, so users is rebuilt.
    const result = await migrateSqlite(db, BLOG, BLOG.replace('name: String?', 'name: String! @default("anonymous")'))
    expect(result.changes.map((c) => c.kind)).toEqual(['alterColumn'])
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 3 })
    expect(db.prepare('SELECT id, name FROM users ORDER BY id').all()).toEqual([
      { id: 1, name: 'Ann' },
      { id: 2, name: 'anonymous' },
    ])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    // The rebuilt table still cascades, still has its index and its trigger.
    expect(() => db.exec(`INSERT INTO users (email) VALUES ('a@x')`)).toThrow('UNIQUE constraint failed')
    db.exec('DELETE FROM users WHERE id = 2')
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 2 })
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).all()).toEqual([{ name: 'users_updated_at_updated_at' }])
  })

  it('renames, retypes, drops and adds columns of one table in one rebuild, keeping the rows', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    const to = BLOG.replace('name: String?', 'displayName: String @renamed(from: "name")\n  karma: Float! @default(0)')
      .replace('title: String!', 'title: String! @unique\n  views: Int! @default(0)')
      .replace('onDelete: Cascade', 'onDelete: Restrict')
    await migrateSqlite(db, BLOG, to)
    expect(db.prepare('SELECT id, display_name, karma FROM users ORDER BY id').all()).toEqual([
      { id: 1, display_name: 'Ann', karma: 0 },
      { id: 2, display_name: null, karma: 0 },
    ])
    expect(db.prepare('SELECT title, views, author_id FROM posts ORDER BY title').all()).toEqual([
      { title: 'one', views: 0, author_id: 1 },
      { title: 'three', views: 0, author_id: 2 },
      { title: 'two', views: 0, author_id: 1 },
    ])
    expect(() => db.exec('DELETE FROM users WHERE id = 2')).toThrow('FOREIGN KEY constraint failed')
  })

  it('rolls the whole migration back when a row breaks a new constraint', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    // Removing USER from the enum: every user uses it. The rebuild's conversion check names the rows.
    await expect(migrateSqlite(db, BLOG, BLOG.replace('enum Role { ADMIN USER }', 'enum Role { ADMIN GUEST }').replace('@default(USER)', '@default(GUEST)'))).rejects.toThrow(
      "users.role: 2 value(s) cannot become one of 'ADMIN', 'GUEST', as PostgreSQL would refuse them too. First rows: id = 1: 'USER'; id = 2: 'USER'.",
    )
    expect(db.prepare(`SELECT name FROM sqlite_temp_master WHERE name LIKE '_okra%'`).all()).toEqual([])
    expect(db.prepare('SELECT role FROM users ORDER BY id').all()).toEqual([{ role: 'USER' }, { role: 'USER' }])
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '_okra%'`).all()).toEqual([])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('aborts on a foreign key violation the rebuild would leave', async () => {
    const db = openSqlite()
    const from = `model Tag {\n  id: Int! @id\n  parentId: Int\n}`
    const to = `model Tag {\n  id: Int! @id\n  parentId: Int\n  parent: Tag? @relation(fields: [parentId], references: [id])\n  children: [Tag!]!\n}`
    await migrateSqlite(db, '', from)
    db.exec('INSERT INTO tags (id, parent_id) VALUES (1, NULL), (2, 99)')
    await expect(migrateSqlite(db, from, to)).rejects.toThrow('foreign key violations after this migration')
    expect(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get('tags')).toEqual({ sql: expect.not.stringContaining('FOREIGN KEY') })
  })

  it('refuses to rebuild when a runner left foreign keys on', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    const from = physicalOf(BLOG, 'sqlite')
    const to = physicalOf(BLOG.replace('name: String?', 'name: String!  @default("x")'), 'sqlite')
    const statements = renderSqlite((await diffOf(from, to)).changes, to, from)
    db.exec('BEGIN')
    expect(() => statements.forEach((s) => db.exec(s.sql))).toThrow('foreign_keys must be OFF during this migration')
    db.exec('ROLLBACK')
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 3 })
  })
})

describe('SQLite: renames keep data', () => {
  it('renames a table and a column (hint and resolver), the children following', async () => {
    const db = openSqlite()
    await migrateSqlite(db, '', BLOG)
    seed(db)
    const to = BLOG.replace('model User {', 'model Author {').replace('author: User!', 'author: Author!').replace('title: String!', 'heading: String!')
    const { changes } = await migrateSqlite(db, BLOG, to, { renames: renamesFrom(['users->authors', 'posts.title->posts.heading']) })
    expect(changes.map((c) => c.kind)).toEqual(['renameTable', 'renameColumn', 'renameIndex'])
    expect(db.prepare('SELECT heading FROM posts ORDER BY heading').all()).toEqual([{ heading: 'one' }, { heading: 'three' }, { heading: 'two' }])
    expect(db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get('posts')).toEqual({ sql: expect.stringContaining('REFERENCES "authors"') })
    db.exec('DELETE FROM authors WHERE id = 1')
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 1 })
  })
})

describe('SQLite: many-to-many links follow a renamed model', () => {
  it('renames the join table and its columns instead of dropping the links', async () => {
    const from = `model User {\n  id: Int! @id\n  tags: [Tag!]!\n}\nmodel Tag {\n  id: Int! @id\n  users: [User!]!\n}`
    const to = from.replace('model User {', 'model Member {\n  @@renamed(from: "User")').replace('users: [User!]!', 'members: [Member!]!')
    const db = openSqlite()
    await migrateSqlite(db, '', from)
    db.exec('INSERT INTO users (id) VALUES (1), (2); INSERT INTO tags (id) VALUES (10); INSERT INTO tags_to_users (tag_id, user_id) VALUES (10, 1), (10, 2)')
    await migrateSqlite(db, from, to)
    expect(db.prepare('SELECT member_id, tag_id FROM members_to_tags ORDER BY member_id').all()).toEqual([
      { member_id: 1, tag_id: 10 },
      { member_id: 2, tag_id: 10 },
    ])
    db.exec('DELETE FROM members WHERE id = 1')
    expect(db.prepare('SELECT COUNT(*) AS n FROM members_to_tags').get()).toEqual({ n: 1 })
  })
})

describe('SQLite: a rename hint wins over an old column of the new name', () => {
  it('drops the old column and renames the hinted one into its place, with its values', async () => {
    const from = BLOG.replace('name: String?', 'name: String!\n  nick: String?')
    // nick is renamed from name; the old nick goes. joinedAt defaults to an expression: ADD COLUMN cannot, a rebuild does.
    const to = BLOG.replace('name: String?', 'nick: String! @renamed(from: "name")\n  joinedAt: DateTime! @default(now)')
    const db = openSqlite()
    await migrateSqlite(db, '', from)
    db.exec(`INSERT INTO users (email, name, nick) VALUES ('a@x', 'Ann', 'old-a'), ('b@x', 'Bea', NULL)`)
    const { changes } = await migrateSqlite(db, from, to)
    expect(changes.map((c) => c.kind)).toEqual(['dropColumn', 'renameColumn', 'addColumn'])
    expect(db.prepare('SELECT email, nick, joined_at IS NOT NULL AS joined FROM users ORDER BY id').all()).toEqual([
      { email: 'a@x', nick: 'Ann', joined: 1 },
      { email: 'b@x', nick: 'Bea', joined: 1 },
    ])
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').all('users').map((c) => (c as { name: string }).name)).not.toContain('_okra_dropped_nick')
  })
})

describe('SQLite: names and values that need quoting', () => {
  /** Order/select come from schema text; quotes, `;`, `--` and unicode in names only come from a live database. */
  function weird(): DbSchema {
    const db = physicalOf(`model Order {\n  id: Int! @id @default(autoincrement)\n  select: String! @default("it's -- not a comment; DROP TABLE x")\n  group: String?\n}`, 'sqlite')
    const table = db.tables[0]!
    table.name = 'or"der; --'
    table.columns[2]!.name = 'gr"oüp'
    return db
  }

  it('creates, fills and rebuilds a table named Order with a column named select and a default holding quote and --', async () => {
    const db = openSqlite()
    const from = weird()
    expect(from.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'select', 'gr"oüp'])
    await migrateSqlite(db, empty('sqlite'), from)
    db.exec(`INSERT INTO "or""der; --" ("gr""oüp") VALUES ('g')`)
    expect(db.prepare(`SELECT * FROM "or""der; --"`).get()).toEqual({ id: 1, select: "it's -- not a comment; DROP TABLE x", 'gr"oüp': 'g' })
    const to = weird()
    to.tables[0]!.columns[2]!.nullable = false
    to.tables[0]!.columns[2]!.default = { kind: 'value', value: "--'\"" }
    to.tables[0]!.indexes.push({ name: 'idx "1"', columns: ['gr"oüp', 'select'], unique: true })
    await migrateSqlite(db, from, to)
    db.exec(`INSERT INTO "or""der; --" DEFAULT VALUES`)
    expect(db.prepare(`SELECT "gr""oüp" AS g FROM "or""der; --" ORDER BY id`).all()).toEqual([{ g: 'g' }, { g: `--'"` }])
  })
})
