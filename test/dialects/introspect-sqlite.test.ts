import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDriver, type Driver, type Queryable } from '../../src/dialects/index'
import { introspectSqlite } from '../../src/dialects/sqlite/introspect'
import type { DbColumn, DbSchema } from '../../src/schema/physical-types'
import { makeTempDir } from '../helpers/tmp'

const UUID_SQL = `(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))`
const NOW_SQL = `(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
const WEIRD_TABLE = `we"ird'; drop table users; --`

/** Every column type of the mapping table (docs/providers.md) as SQLite stores it, every default kind, keys, indexes, CHECK enums, triggers, odd names. */
const DDL = `
CREATE TABLE "users" (
  "id" TEXT NOT NULL PRIMARY KEY DEFAULT ${UUID_SQL},
  "email" TEXT NOT NULL,
  "name" TEXT,
  "age" INTEGER DEFAULT 18,
  "neg" INTEGER DEFAULT -7,
  "big" INTEGER NOT NULL DEFAULT 9007199254740993,
  "score" REAL DEFAULT 1.5,
  "balance" TEXT NOT NULL DEFAULT '1.50',
  "active" INTEGER NOT NULL DEFAULT 1,
  "flag" INTEGER DEFAULT TRUE,
  "role" TEXT NOT NULL DEFAULT 'USER' CHECK ("role" IN ('ADMIN', 'USER', 'it''s; "odd"')),
  "settings" TEXT DEFAULT '{"a":1}',
  "avatar" BLOB DEFAULT X'0102ff',
  "bio" TEXT DEFAULT 'it''s; a "bio"',
  "born" TEXT DEFAULT '2024-01-20T14:30:22.123Z',
  "created_at" TEXT NOT NULL DEFAULT ${NOW_SQL},
  "seen_at" TEXT DEFAULT CURRENT_TIMESTAMP,
  "updated_at" TEXT NOT NULL DEFAULT ${NOW_SQL},
  "nothing" TEXT DEFAULT NULL,
  "hand" TEXT DEFAULT (upper('x')),
  "price" decimal( 10 , 2 ) DEFAULT '3.10',
  "short" TEXT UNIQUE
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
CREATE INDEX "users_name_created_at_idx" ON "users" ("name", "created_at");
CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

CREATE TABLE "posts" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "author_id" TEXT NOT NULL,
  "editor_id" TEXT CONSTRAINT "posts_editor_fk" REFERENCES "users" ("id") ON DELETE SET NULL,
  "title" VARCHAR(200) NOT NULL,
  "status" TEXT NOT NULL,
  "edited_at" TEXT,
  CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE RESTRICT,
  CHECK ("status" IN ('DRAFT', 'PUBLISHED'))
);
CREATE TRIGGER "posts_touch" AFTER UPDATE OF "title" ON "posts" BEGIN UPDATE "posts" SET "edited_at" = CURRENT_TIMESTAMP WHERE "id" = NEW."id"; END;
CREATE TRIGGER "posts_on_insert" AFTER INSERT ON "posts" BEGIN UPDATE "posts" SET "title" = trim(NEW."title") WHERE "id" = NEW."id"; END;

CREATE TABLE "tags_on_posts" (
  "post_id" INTEGER NOT NULL REFERENCES "posts" ON DELETE CASCADE,
  "tag" TEXT NOT NULL,
  PRIMARY KEY ("tag", "post_id")
);
CREATE TABLE "post_reviews" (
  "post_id" INTEGER NOT NULL DEFAULT 0,
  "tag" TEXT NOT NULL,
  CONSTRAINT "post_reviews_tag_post_id_fkey" FOREIGN KEY ("tag", "post_id") REFERENCES "tags_on_posts" ("tag", "post_id") ON DELETE SET DEFAULT ON UPDATE NO ACTION
);
CREATE TABLE "plain_pk" ("n" INTEGER NOT NULL, PRIMARY KEY ("n"));
CREATE TABLE "no_rowid" ("n" INTEGER NOT NULL PRIMARY KEY, "m" BIGINT) WITHOUT ROWID;

CREATE TABLE "we""ird'; drop table users; --" (
  "sélect" TEXT NOT NULL DEFAULT 'a''b"c;',
  "order" INTEGER NOT NULL,
  "ünï ☃" TEXT DEFAULT 'a',
  "Mixed Case" INTEGER DEFAULT 0,
  "upd ""at""" TEXT,
  PRIMARY KEY ("order"),
  CONSTRAINT "fk; ""quoted""" FOREIGN KEY ("sélect") REFERENCES "users" ("email"),
  CONSTRAINT "enum check" CHECK ("ünï ☃" IN ('b', 'a'))
);
CREATE INDEX "idx ""weird""; --" ON "we""ird'; drop table users; --" ("ünï ☃", "Mixed Case");
CREATE TRIGGER "weird trigger" AFTER UPDATE ON "we""ird'; drop table users; --" FOR EACH ROW
BEGIN UPDATE "we""ird'; drop table users; --" SET "upd ""at""" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

CREATE TABLE "_okra_migrations" ("id" TEXT PRIMARY KEY);
`

function column(name: string, type: string, more: Partial<DbColumn> = {}): DbColumn {
  return { name, type, nullable: true, default: null, autoincrement: false, updatedAt: false, ...more }
}
const value = (v: string | number | boolean) => ({ default: { kind: 'value' as const, value: v } })
const required = { nullable: false }
const now = { default: { kind: 'now' as const } }
const autoincrement = { nullable: false, autoincrement: true, default: { kind: 'autoincrement' as const } }

const EXPECTED: DbSchema = {
  provider: 'sqlite',
  enums: [],
  tables: [
    {
      name: 'no_rowid',
      columns: [column('n', 'INTEGER', required), column('m', 'BIGINT')],
      primaryKey: ['n'],
      indexes: [],
      foreignKeys: [],
    },
    { name: 'plain_pk', columns: [column('n', 'INTEGER', autoincrement)], primaryKey: ['n'], indexes: [], foreignKeys: [] },
    {
      name: 'post_reviews',
      columns: [column('post_id', 'INTEGER', { ...required, ...value(0) }), column('tag', 'TEXT', required)],
      primaryKey: [],
      indexes: [],
      foreignKeys: [
        { name: 'post_reviews_tag_post_id_fkey', columns: ['tag', 'post_id'], refTable: 'tags_on_posts', refColumns: ['tag', 'post_id'], onDelete: 'SetDefault', onUpdate: 'NoAction' },
      ],
    },
    {
      name: 'posts',
      columns: [
        column('id', 'INTEGER', autoincrement),
        column('author_id', 'TEXT', required),
        column('editor_id', 'TEXT'),
        column('title', 'VARCHAR(200)', required),
        column('status', 'TEXT', { ...required, enumValues: ['DRAFT', 'PUBLISHED'] }),
        column('edited_at', 'TEXT', { updatedAt: true }),
      ],
      primaryKey: ['id'],
      indexes: [],
      foreignKeys: [
        { name: 'posts_author_id_fkey', columns: ['author_id'], refTable: 'users', refColumns: ['id'], onDelete: 'Cascade', onUpdate: 'Restrict' },
        { name: 'posts_editor_fk', columns: ['editor_id'], refTable: 'users', refColumns: ['id'], onDelete: 'SetNull', onUpdate: 'NoAction' },
      ],
    },
    {
      name: 'tags_on_posts',
      columns: [column('post_id', 'INTEGER', required), column('tag', 'TEXT', required)],
      primaryKey: ['tag', 'post_id'],
      indexes: [],
      foreignKeys: [{ name: 'tags_on_posts_post_id_fkey', columns: ['post_id'], refTable: 'posts', refColumns: ['id'], onDelete: 'Cascade', onUpdate: 'NoAction' }],
    },
    {
      name: 'users',
      columns: [
        column('id', 'TEXT', { ...required, default: { kind: 'uuid' } }),
        column('email', 'TEXT', required),
        column('name', 'TEXT'),
        column('age', 'INTEGER', value(18)),
        column('neg', 'INTEGER', value(-7)),
        column('big', 'INTEGER', { ...required, ...value('9007199254740993') }),
        column('score', 'REAL', value(1.5)),
        column('balance', 'TEXT', { ...required, ...value('1.50') }),
        column('active', 'INTEGER', { ...required, ...value(1) }),
        column('flag', 'INTEGER', value(1)),
        column('role', 'TEXT', { ...required, ...value('USER'), enumValues: ['ADMIN', 'USER', `it's; "odd"`] }),
        column('settings', 'TEXT', value('{"a":1}')),
        column('avatar', 'BLOB', value('AQL/')),
        column('bio', 'TEXT', value(`it's; a "bio"`)),
        column('born', 'TEXT', value('2024-01-20T14:30:22.123Z')),
        column('created_at', 'TEXT', { ...required, ...now }),
        column('seen_at', 'TEXT', now),
        column('updated_at', 'TEXT', { ...required, ...now, updatedAt: true }),
        column('nothing', 'TEXT'),
        column('hand', 'TEXT', { rawDefault: "upper('x')" }),
        column('price', 'DECIMAL(10,2)', value(3.1)),
        column('short', 'TEXT'),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'sqlite_autoindex_users_2', columns: ['short'], unique: true },
        { name: 'users_email_key', columns: ['email'], unique: true },
        { name: 'users_name_created_at_idx', columns: ['name', 'created_at'], unique: false },
      ],
      foreignKeys: [],
    },
    {
      name: WEIRD_TABLE,
      columns: [
        column('sélect', 'TEXT', { ...required, ...value(`a'b"c;`) }),
        column('order', 'INTEGER', autoincrement),
        column('ünï ☃', 'TEXT', { ...value('a'), enumValues: ['b', 'a'] }),
        column('Mixed Case', 'INTEGER', value(0)),
        column('upd "at"', 'TEXT', { updatedAt: true }),
      ],
      primaryKey: ['order'],
      indexes: [{ name: `idx "weird"; --`, columns: ['ünï ☃', 'Mixed Case'], unique: false }],
      foreignKeys: [{ name: `fk; "quoted"`, columns: ['sélect'], refTable: 'users', refColumns: ['email'], onDelete: 'NoAction', onUpdate: 'NoAction' }],
    },
  ],
}

describe('SQLite introspection', () => {
  let driver: Driver
  beforeAll(async () => {
    driver = await openDriver('sqlite://:memory:')
    await driver.exec(DDL)
  })
  afterAll(() => driver.close())

  it('reads hand-written DDL back exactly: types, nullability, defaults, keys, indexes, CHECK enums, triggers, odd names', async () => {
    expect(await driver.introspect()).toEqual(EXPECTED)
  })

  it('the recommended uuid and now defaults and @updatedAt trigger really work', async () => {
    await driver.exec(`INSERT INTO "users" ("email", "updated_at") VALUES ('a@b.c', '2000-01-01T00:00:00.000Z')`)
    const [before] = await driver.query<{ id: string; created_at: string }>('SELECT "id", "created_at" FROM "users"')
    expect(before!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(before!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    await driver.query(`UPDATE "users" SET "name" = 'Ann'`)
    const [after] = await driver.query<{ updated_at: string }>('SELECT "updated_at" FROM "users"')
    expect(Date.now() - Date.parse(after!.updated_at)).toBeLessThan(60_000)
  })

  it('tells apart named foreign keys on the same column by the table they reference, named as that table is', async () => {
    const db = await openDriver('sqlite://:memory:')
    try {
      await db.exec(`
        CREATE TABLE "a" ("id" INTEGER PRIMARY KEY);
        CREATE TABLE "b" ("id" INTEGER PRIMARY KEY);
        CREATE TABLE "c" ("x" INTEGER CONSTRAINT "to_a" REFERENCES "a" ("id"), CONSTRAINT "to_b" FOREIGN KEY ("X") REFERENCES "B" ("id") ON DELETE CASCADE);
      `)
      const c = (await db.introspect()).tables.find((t) => t.name === 'c')!
      expect(c.foreignKeys.map((f) => [f.name, f.refTable, f.onDelete])).toEqual([
        ['to_a', 'a', 'NoAction'],
        ['to_b', 'b', 'Cascade'],
      ])
    } finally {
      await db.close()
    }
  })

  it('reads 1,000 tables (in a file) with five set-based queries', async () => {
    const file = await openDriver('sqlite://./many.db', { root: makeTempDir() })
    try {
      const ddl = Array.from({ length: 1000 }, (_, i) => {
        const parent = i === 0 ? '' : `, "parent_id" INTEGER REFERENCES "t${i - 1}" ("id") ON DELETE CASCADE`
        return `CREATE TABLE "t${i}" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL DEFAULT 'x'${parent}); CREATE INDEX "t${i}_name_idx" ON "t${i}" ("name");`
      }).join('\n')
      await file.transaction((tx) => tx.exec(ddl))
      const queries: string[] = []
      const counting: Queryable = { query: (sql, params) => (queries.push(sql), file.query(sql, params)), exec: (sql) => file.exec(sql) }
      const started = Date.now()
      const schema = await introspectSqlite(counting)
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(queries).toHaveLength(5)
      expect(schema.tables).toHaveLength(1000)
      const t500 = schema.tables.find((t) => t.name === 't500')!
      expect(t500.foreignKeys).toEqual([{ name: 't500_parent_id_fkey', columns: ['parent_id'], refTable: 't499', refColumns: ['id'], onDelete: 'Cascade', onUpdate: 'NoAction' }])
      expect(t500.indexes).toEqual([{ name: 't500_name_idx', columns: ['name'], unique: false }])
    } finally {
      await file.close()
    }
  }, 60_000)
})
