/** The exact SQLite text of every change kind, and which changes need a table rebuild. */
import { describe, expect, it } from 'vitest'
import type { DiffOptions } from '../../src/diff/diff'
import type { Change } from '../../src/diff/changes'
import { renderSqlite } from '../../src/dialects/sqlite/render'
import { toScript } from '../../src/sql/statement'
import { diffTexts } from '../diff/helpers'
import { BASE, edit } from './schema-edits'

async function lite(from: string, to: string, options?: Omit<DiffOptions, 'types'>): Promise<string> {
  const result = await diffTexts(from, to, 'sqlite', options)
  return toScript(renderSqlite(result.changes, result.to, result.from))
}

describe('SQLite: what ALTER TABLE does', () => {
  it('creates tables with keys, foreign keys and enum CHECKs inside, then indexes and triggers', async () => {
    expect(await lite('', BASE)).toMatchInlineSnapshot(`
      "CREATE TABLE "posts" (
        "id" INTEGER NOT NULL,
        "title" TEXT NOT NULL,
        "author_id" TEXT NOT NULL,
        CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
      );

      CREATE INDEX "posts_title_idx" ON "posts"("title");

      CREATE TABLE "users" (
        "id" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
        "email" TEXT NOT NULL,
        "name" TEXT NOT NULL,
        "bio" TEXT,
        "age" INTEGER,
        "role" TEXT NOT NULL DEFAULT 'USER' CHECK ("role" IN ('ADMIN', 'USER')),
        "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      );

      CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

      CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;
      "
    `)
  })

  it('drops tables with foreign keys off (a dropped parent must not cascade)', async () => {
    expect(await lite(BASE, '')).toMatchInlineSnapshot(`
      "PRAGMA foreign_keys = OFF;

      CREATE TEMP TABLE "_okra_checks" (
        "foreign_keys" INTEGER CONSTRAINT "foreign_keys must be OFF during this migration: run PRAGMA foreign_keys = OFF before BEGIN" CHECK ("foreign_keys" = 0),
        "violations" INTEGER CONSTRAINT "foreign key violations after this migration: PRAGMA foreign_key_check lists them" CHECK ("violations" = 0)
      );

      INSERT INTO "_okra_checks" ("foreign_keys") SELECT "foreign_keys" FROM pragma_foreign_keys;

      DROP TABLE "posts";

      DROP TABLE "users";

      INSERT INTO "_okra_checks" ("violations") SELECT COUNT(*) FROM pragma_foreign_key_check;

      DROP TABLE "_okra_checks";

      PRAGMA foreign_keys = ON;
      "
    `)
  })

  it('renames a table and a column, recreating their triggers under the new names', async () => {
    const to = edit(['model User {', 'model Person {\n  @@renamed(from: "User")'], ['author: User!', 'author: Person!'], ['updatedAt: DateTime!', 'changedAt: DateTime! @renamed(from: "updatedAt")'])
    expect(await lite(BASE, to)).toMatchInlineSnapshot(`
      "ALTER TABLE "users" RENAME TO "people";

      DROP TRIGGER IF EXISTS "users_updated_at_updated_at";

      CREATE TRIGGER "people_updated_at_updated_at" AFTER UPDATE ON "people" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "people" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      ALTER TABLE "people" RENAME COLUMN "updated_at" TO "changed_at";

      DROP TRIGGER IF EXISTS "people_updated_at_updated_at";

      CREATE TRIGGER "people_changed_at_updated_at" AFTER UPDATE ON "people" FOR EACH ROW WHEN NEW."changed_at" IS OLD."changed_at"
      BEGIN UPDATE "people" SET "changed_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      DROP INDEX "users_email_key";

      CREATE UNIQUE INDEX "people_email_key" ON "people"("email");
      "
    `)
  })

  it('adds a column with a constant default and drops a plain one', async () => {
    expect(await lite(BASE, edit(['bio: String?', 'score: Float! @default(-1.5)']))).toMatchInlineSnapshot(`
      "ALTER TABLE "users" DROP COLUMN "bio";

      ALTER TABLE "users" ADD COLUMN "score" REAL NOT NULL DEFAULT -1.5;
      "
    `)
  })

  it('creates, drops and renames indexes; @updatedAt on and off by trigger alone', async () => {
    const from = BASE.replace('@default(now) @updatedAt', '@default(now)')
    const to = edit(['title: String! @index', 'title: String! @unique'], ['model Post {', 'model Article {\n  @@renamed(from: "Post")'], ['posts: [Post!]!', 'posts: [Article!]!'])
    expect(await lite(from, to)).toMatchInlineSnapshot(`
      "DROP INDEX "posts_title_idx";

      ALTER TABLE "posts" RENAME TO "articles";

      CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      CREATE UNIQUE INDEX "articles_title_key" ON "articles"("title");
      "
    `)
  })

  it('needs no SQL for a change of OKRA type stored alike', async () => {
    expect(await lite(BASE, edit(['age: Int', 'age: BigInt']))).toBe('')
  })
})

describe('SQLite: table rebuilds', () => {
  it('rebuilds for a type, nullability, default or CHECK change, copying rows and filling NULLs with the default', async () => {
    const to = edit(['bio: String?', 'bio: String! @default("none")'], ['age: Int', 'age: Float'], ['enum Role { ADMIN USER }', 'enum Role { ADMIN USER GUEST }'])
    expect(await lite(BASE, to)).toMatchInlineSnapshot(`
      "PRAGMA foreign_keys = OFF;

      CREATE TEMP TABLE "_okra_checks" (
        "foreign_keys" INTEGER CONSTRAINT "foreign_keys must be OFF during this migration: run PRAGMA foreign_keys = OFF before BEGIN" CHECK ("foreign_keys" = 0),
        "violations" INTEGER CONSTRAINT "foreign key violations after this migration: PRAGMA foreign_key_check lists them" CHECK ("violations" = 0)
      );

      INSERT INTO "_okra_checks" ("foreign_keys") SELECT "foreign_keys" FROM pragma_foreign_keys;

      CREATE TABLE "_okra_new_users" (
        "id" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
        "email" TEXT NOT NULL,
        "name" TEXT NOT NULL,
        "bio" TEXT NOT NULL DEFAULT 'none',
        "age" REAL,
        "role" TEXT NOT NULL DEFAULT 'USER' CHECK ("role" IN ('ADMIN', 'USER', 'GUEST')),
        "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      );

      INSERT INTO "_okra_new_users" ("id", "email", "name", "bio", "age", "role", "updated_at") SELECT "id", "email", "name", COALESCE("bio", 'none'), "age", "role", "updated_at" FROM "users";

      DROP TABLE "users";

      ALTER TABLE "_okra_new_users" RENAME TO "users";

      CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

      CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      INSERT INTO "_okra_checks" ("violations") SELECT COUNT(*) FROM pragma_foreign_key_check;

      DROP TABLE "_okra_checks";

      PRAGMA foreign_keys = ON;
      "
    `)
  })

  it('rebuilds for a new column ADD COLUMN cannot take, and for a foreign key change', async () => {
    const to = edit(['bio: String?', 'bio: String?\n  joinedAt: DateTime! @default(now)'], ['onDelete: Cascade', 'onDelete: Restrict'])
    expect(await lite(BASE, to)).toMatchInlineSnapshot(`
      "PRAGMA foreign_keys = OFF;

      CREATE TEMP TABLE "_okra_checks" (
        "foreign_keys" INTEGER CONSTRAINT "foreign_keys must be OFF during this migration: run PRAGMA foreign_keys = OFF before BEGIN" CHECK ("foreign_keys" = 0),
        "violations" INTEGER CONSTRAINT "foreign key violations after this migration: PRAGMA foreign_key_check lists them" CHECK ("violations" = 0)
      );

      INSERT INTO "_okra_checks" ("foreign_keys") SELECT "foreign_keys" FROM pragma_foreign_keys;

      CREATE TABLE "_okra_new_posts" (
        "id" INTEGER NOT NULL,
        "title" TEXT NOT NULL,
        "author_id" TEXT NOT NULL,
        CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE
      );

      INSERT INTO "_okra_new_posts" ("id", "title", "author_id") SELECT "id", "title", "author_id" FROM "posts";

      DROP TABLE "posts";

      ALTER TABLE "_okra_new_posts" RENAME TO "posts";

      CREATE INDEX "posts_title_idx" ON "posts"("title");

      CREATE TABLE "_okra_new_users" (
        "id" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
        "email" TEXT NOT NULL,
        "name" TEXT NOT NULL,
        "bio" TEXT,
        "joined_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        "age" INTEGER,
        "role" TEXT NOT NULL DEFAULT 'USER' CHECK ("role" IN ('ADMIN', 'USER')),
        "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      );

      INSERT INTO "_okra_new_users" ("id", "email", "name", "bio", "age", "role", "updated_at") SELECT "id", "email", "name", "bio", "age", "role", "updated_at" FROM "users";

      DROP TABLE "users";

      ALTER TABLE "_okra_new_users" RENAME TO "users";

      CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

      CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      INSERT INTO "_okra_checks" ("violations") SELECT COUNT(*) FROM pragma_foreign_key_check;

      DROP TABLE "_okra_checks";

      PRAGMA foreign_keys = ON;
      "
    `)
  })

  it('renames before rebuilding, and moves a dropped column out of a renamed one’s way', async () => {
    const to = edit(['bio: String?', ''], ['name: String!', 'bio: String! @renamed(from: "name")\n  nick: String! @default("x")'], ['age: Int', 'age: Int!  @default(0)'])
    expect(await lite(BASE, to)).toMatchInlineSnapshot(`
      "PRAGMA foreign_keys = OFF;

      CREATE TEMP TABLE "_okra_checks" (
        "foreign_keys" INTEGER CONSTRAINT "foreign_keys must be OFF during this migration: run PRAGMA foreign_keys = OFF before BEGIN" CHECK ("foreign_keys" = 0),
        "violations" INTEGER CONSTRAINT "foreign key violations after this migration: PRAGMA foreign_key_check lists them" CHECK ("violations" = 0)
      );

      INSERT INTO "_okra_checks" ("foreign_keys") SELECT "foreign_keys" FROM pragma_foreign_keys;

      ALTER TABLE "users" RENAME COLUMN "bio" TO "_okra_dropped_bio";

      ALTER TABLE "users" RENAME COLUMN "name" TO "bio";

      CREATE TABLE "_okra_new_users" (
        "id" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
        "email" TEXT NOT NULL,
        "bio" TEXT NOT NULL,
        "nick" TEXT NOT NULL DEFAULT 'x',
        "age" INTEGER NOT NULL DEFAULT 0,
        "role" TEXT NOT NULL DEFAULT 'USER' CHECK ("role" IN ('ADMIN', 'USER')),
        "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id")
      );

      INSERT INTO "_okra_new_users" ("id", "email", "bio", "age", "role", "updated_at") SELECT "id", "email", "bio", COALESCE("age", 0), "role", "updated_at" FROM "users";

      DROP TABLE "users";

      ALTER TABLE "_okra_new_users" RENAME TO "users";

      CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

      CREATE TRIGGER "users_updated_at_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
      BEGIN UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid; END;

      INSERT INTO "_okra_checks" ("violations") SELECT COUNT(*) FROM pragma_foreign_key_check;

      DROP TABLE "_okra_checks";

      PRAGMA foreign_keys = ON;
      "
    `)
  })
})

describe('SQLite: every kind has a renderer', () => {
  it('throws on a kind it does not know, and on PostgreSQL-only kinds', async () => {
    const { to, from } = await diffTexts('', BASE, 'sqlite')
    expect(() => renderSqlite([{ kind: 'bogus' } as never], to, from)).toThrow("renderSqlite: no case for change kind 'bogus'")
    const createEnum: Change = { kind: 'createEnum', enum: { name: 'role', values: [] }, label: 'Role', safety: { level: 'safe' } }
    expect(() => renderSqlite([createEnum], to, from)).toThrow('SQLite has no enum types')
  })
})
