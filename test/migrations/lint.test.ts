/**
 * `migrate:lint`'s pure core on a corpus of risky migrations: each expects exactly its codes, on both
 * providers where they differ; a clean migration has none. Derived migrations go through the real differ
 * and renderer (deriveStep); hand-written ones are SQL text read by the statement classifier.
 */
import { describe, expect, it } from 'vitest'
import { dialectOf } from '../../src/dialects/index'
import { deriveStep, physicalWithoutHints } from '../../src/migrations/derive'
import { type LintFinding, lintMigration } from '../../src/migrations/lint/index'
import type { SyncedRename } from '../../src/project/renames'
import type { Provider } from '../../src/schema/physical-types'
import { toScript } from '../../src/sql/statement'
import { schemaOf } from '../diff/helpers'

const PROVIDERS: Provider[] = ['sqlite', 'postgres']

const BASE = `
  enum Role { ADMIN USER GUEST }
  model User {
    id: Int! @id @default(autoincrement)
    email: String!
    name: String
    age: Int
    role: Role! @default(USER)
  }
  model Post {
    id: Int! @id @default(autoincrement)
    title: String!
  }`

/** BASE with `edit` applied to its text. */
const edited = (edit: (text: string) => string) => edit(BASE)

async function lintDerived(to: string, provider: Provider, renames: SyncedRename[] = [], from = BASE): Promise<LintFinding[]> {
  const dialect = dialectOf(provider)
  const step = await deriveStep(schemaOf(from), schemaOf(to), dialect, renames)
  return lintMigration({ migration: 'm', file: null, provider, script: toScript(step.statements), transactional: true, before: step.from, changes: step.changes })
}

function lintSql(script: string, provider: Provider, options: { transactional?: boolean; derivedScript?: string } = {}): LintFinding[] {
  const before = physicalWithoutHints(schemaOf(BASE), dialectOf(provider).types)
  return lintMigration({ migration: 'm', file: 'migrations/m/migration.sql', provider, script, transactional: options.transactional ?? true, before, derivedScript: options.derivedScript })
}

const codes = (findings: LintFinding[]) => findings.map((f) => f.code)

interface DerivedCase {
  name: string
  to: string
  renames?: SyncedRename[]
  expect: Record<Provider, string[]>
}

const both = (list: string[]) => ({ sqlite: list, postgres: list })

const DERIVED: DerivedCase[] = [
  {
    name: 'clean: an optional field, and a new model with a required field, an index and a unique field',
    to: edited((s) =>
      s.replace('age: Int', 'age: Int\n    bio: String') + '\n  model Tag {\n    id: Int! @id @default(autoincrement)\n    label: String! @unique\n    rank: Int!\n    @@index([rank])\n  }',
    ),
    expect: both([]),
  },
  { name: 'a dropped model', to: edited((s) => s.replace(/model Post \{[^}]*\}/, '')), expect: both(['drop-table']) },
  { name: 'a dropped field', to: edited((s) => s.replace('age: Int\n', '')), expect: both(['drop-column']) },
  { name: 'an enum value removed', to: edited((s) => s.replace('ADMIN USER GUEST', 'ADMIN USER')), expect: both(['drop-enum-value']) },
  { name: 'a required field added without a default', to: edited((s) => s.replace('age: Int', 'age: Int\n    phone: String!')), expect: both(['not-null-without-default']) },
  { name: 'a required field added with a default', to: edited((s) => s.replace('age: Int', 'age: Int\n    phone: String! @default("")')), expect: both([]) },
  { name: 'an optional field made required without a default', to: edited((s) => s.replace('name: String', 'name: String!')), expect: both(['not-null-without-default']) },
  { name: 'a unique field on an existing model', to: edited((s) => s.replace('email: String!', 'email: String! @unique')), expect: { sqlite: ['add-unique'], postgres: ['add-unique', 'index-not-concurrent'] } },
  { name: 'an index on an existing model', to: edited((s) => s.replace('role: Role! @default(USER)', 'role: Role! @default(USER)\n    @@index([email])')), expect: { sqlite: [], postgres: ['index-not-concurrent'] } },
  { name: 'a narrowing type change (String to Int)', to: edited((s) => s.replace('name: String', 'name: Int')), expect: both(['column-type-change']) },
  { name: 'a widening type change (Int to BigInt): a rewrite on PostgreSQL only', to: edited((s) => s.replace('age: Int', 'age: BigInt')), expect: { sqlite: [], postgres: ['column-type-change'] } },
  {
    name: 'a renamed model',
    to: edited((s) => s.replace('model Post {', 'model Article {')),
    renames: [{ kind: 'table', from: 'posts', to: 'articles' }],
    expect: both(['rename-table']),
  },
  {
    name: 'a renamed field',
    to: edited((s) => s.replace('name: String', 'fullName: String')),
    renames: [{ kind: 'column', table: 'users', from: 'name', to: 'full_name' }],
    expect: both(['rename-column']),
  },
]

describe('lint of derived migrations', () => {
  for (const c of DERIVED) {
    for (const provider of PROVIDERS) {
      it(`${c.name} (${provider})`, async () => {
        expect(codes(await lintDerived(c.to, provider, c.renames))).toEqual(c.expect[provider])
      })
    }
  }

  it('a narrowing is an error, a widening rewrite a warning; each finding names the statement line and a fix', async () => {
    const [narrow] = await lintDerived(edited((s) => s.replace('name: String', 'name: Int')), 'postgres')
    expect(narrow).toMatchObject({ code: 'column-type-change', severity: 'error', migration: 'm', file: null })
    const [widen] = await lintDerived(edited((s) => s.replace('age: Int', 'age: BigInt')), 'postgres')
    expect(widen).toMatchObject({ code: 'column-type-change', severity: 'warning' })
    const dialect = dialectOf('postgres')
    const step = await deriveStep(schemaOf(BASE), schemaOf(edited((s) => s.replace('age: Int\n', '').replace('email: String!', 'email: String! @unique'))), dialect, [])
    const script = toScript(step.statements)
    const findings = lintMigration({ migration: 'm', file: null, provider: 'postgres', script, transactional: true, before: step.from, changes: step.changes })
    const lines = script.split('\n')
    const drop = findings.find((f) => f.code === 'drop-column')!
    expect(lines[drop.line - 1]).toContain('DROP COLUMN "age"')
    const unique = findings.find((f) => f.code === 'add-unique')!
    expect(lines[unique.line - 1]).toMatch(/CREATE UNIQUE INDEX/)
    expect(drop.fix).toMatch(/Stop reading the column first/)
  })
})

interface SqlCase {
  name: string
  sql: string
  expect: Record<Provider, string[]>
  transactional?: boolean
}

const SQL: SqlCase[] = [
  { name: 'clean: an optional column and a data update', sql: `ALTER TABLE "users" ADD COLUMN "bio" TEXT;\nUPDATE "users" SET "bio" = 'x';`, expect: both([]) },
  { name: 'DROP COLUMN with quoted names', sql: `ALTER TABLE "users" DROP COLUMN "age";`, expect: both(['drop-column']) },
  { name: 'DROP without COLUMN (PostgreSQL), upper and lower case', sql: `alter table users drop age cascade;`, expect: both(['drop-column']) },
  { name: 'DROP TABLE IF EXISTS, schema-qualified', sql: `DROP TABLE IF EXISTS "main"."posts";`, expect: both(['drop-table']) },
  { name: 'DROP TABLE of a table created in the same file', sql: `CREATE TABLE "tmp" ("id" INTEGER);\nDROP TABLE "tmp";`, expect: both([]) },
  { name: 'BEGIN ... COMMIT around the whole file (OKRA takes it as its own transaction)', sql: `BEGIN;\nALTER TABLE "users" ADD COLUMN "bio" TEXT;\nCOMMIT;`, expect: both([]) },
  { name: 'a COMMIT half-way and a BEGIN after it', sql: `ALTER TABLE "users" ADD COLUMN "bio" TEXT;\nCOMMIT;\nBEGIN;\nUPDATE "users" SET "bio" = '';`, expect: both(['transaction-control', 'transaction-control']) },
  { name: 'SAVEPOINT and ROLLBACK TO inside START TRANSACTION ... END', sql: `START TRANSACTION;\nSAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nEND;`, expect: both(['transaction-control', 'transaction-control']) },
  { name: 'BEGIN in a file marked okra:no-transaction', sql: `-- okra:no-transaction\nBEGIN;\nCOMMIT;`, transactional: false, expect: both([]) },
  {
    name: 'BEGIN and END inside a PostgreSQL function body and a SQLite trigger',
    sql: '',
    expect: both([]),
  },
  { name: 'a string holding SQL', sql: `UPDATE "users" SET "name" = 'BEGIN; DROP TABLE users; ALTER TABLE users DROP COLUMN age';`, expect: both([]) },
  { name: 'a quoted identifier holding SQL', sql: `ALTER TABLE "users" RENAME COLUMN "name" TO "drop table users";`, expect: both(['rename-column']) },
  { name: 'CREATE INDEX on an existing table', sql: `CREATE INDEX "users_email_idx" ON "users" ("email");`, expect: { sqlite: [], postgres: ['index-not-concurrent'] } },
  { name: 'CREATE INDEX CONCURRENTLY', sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON ONLY public.users (email);`, transactional: false, expect: both([]) },
  { name: 'CREATE UNIQUE INDEX on an existing table', sql: `CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");`, expect: { sqlite: ['add-unique'], postgres: ['add-unique', 'index-not-concurrent'] } },
  {
    name: 'a new table with its unique index and a required column',
    sql: `CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY, "label" TEXT NOT NULL);\nCREATE UNIQUE INDEX "tags_label_key" ON "tags" ("label");\nALTER TABLE "tags" ADD COLUMN "rank" INTEGER NOT NULL;`,
    expect: both([]),
  },
  { name: 'ADD CONSTRAINT ... UNIQUE', sql: `ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email");`, expect: both(['add-unique']) },
  { name: 'ADD CONSTRAINT ... UNIQUE USING INDEX (built concurrently before)', sql: `ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE USING INDEX "users_email_idx";`, expect: both([]) },
  { name: 'ADD COLUMN ... NOT NULL without a default', sql: `ALTER TABLE "users" ADD COLUMN "phone" TEXT NOT NULL;`, expect: both(['not-null-without-default']) },
  { name: 'ADD COLUMN ... NOT NULL DEFAULT', sql: `ALTER TABLE "users" ADD COLUMN "phone" TEXT NOT NULL DEFAULT '';`, expect: both([]) },
  { name: 'ADD COLUMN ... UNIQUE', sql: `ALTER TABLE "users" ADD COLUMN "code" TEXT UNIQUE;`, expect: both(['add-unique']) },
  { name: 'SET NOT NULL without filling the rows', sql: `ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;`, expect: both(['not-null-without-default']) },
  { name: 'SET NOT NULL after an UPDATE filling the rows', sql: `UPDATE "users" SET "name" = '' WHERE "name" IS NULL;\nALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;`, expect: both([]) },
  { name: 'ALTER COLUMN ... TYPE and SET DATA TYPE', sql: `ALTER TABLE users ALTER COLUMN age TYPE bigint, ALTER name SET DATA TYPE varchar(20);`, expect: both(['column-type-change', 'column-type-change']) },
  { name: 'RENAME TO', sql: `ALTER TABLE "users" RENAME TO "accounts";`, expect: both(['rename-table']) },
  { name: 'RENAME COLUMN', sql: `ALTER TABLE "users" RENAME COLUMN "name" TO "full_name";`, expect: both(['rename-column']) },
  { name: 'RENAME CONSTRAINT', sql: `ALTER TABLE "users" RENAME CONSTRAINT "a" TO "b";`, expect: both([]) },
  { name: 'several actions in one ALTER TABLE', sql: `ALTER TABLE "users" DROP COLUMN "age", ADD COLUMN "x" INTEGER NOT NULL, ALTER COLUMN "name" SET DEFAULT 'a';`, expect: both(['drop-column', 'not-null-without-default']) },
  {
    name: "SQLite's table rebuild that leaves a column out: read as a dropped column, not a dropped and renamed table",
    sql: [
      `CREATE TABLE "_okra_new_users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "name" TEXT, "role" TEXT NOT NULL DEFAULT 'USER', CHECK ("role" IN ('ADMIN', 'USER')));`,
      `INSERT INTO "_okra_new_users" ("id", "email", "name", "role") SELECT "id", "email", "name", "role" FROM "users";`,
      `DROP TABLE "users";`,
      `ALTER TABLE "_okra_new_users" RENAME TO "users";`,
    ].join('\n'),
    expect: both(['drop-column']),
  },
  { name: 'a quoted name in another case is another table on PostgreSQL, the same on SQLite', sql: `DROP TABLE "Users";\nDROP TABLE USERS;`, expect: { sqlite: ['drop-table', 'drop-table'], postgres: ['drop-table'] } },
  { name: 'statements on tables OKRA does not know', sql: `DROP TABLE "audit_log";\nALTER TABLE "legacy" DROP COLUMN "x";`, expect: both([]) },
]

const FUNCTION_BODIES: Record<Provider, string> = {
  postgres: `CREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.x := now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nDO $body$ BEGIN COMMIT; END $body$;`,
  sqlite: `CREATE TRIGGER "t" AFTER UPDATE ON "users" BEGIN\n  UPDATE "users" SET "age" = 1 WHERE "id" = NEW."id";\nEND;`,
}

describe('lint of hand-written SQL', () => {
  for (const c of SQL) {
    for (const provider of PROVIDERS) {
      it(`${c.name} (${provider})`, () => {
        const sql = c.sql || FUNCTION_BODIES[provider]
        expect(codes(lintSql(sql, provider, { transactional: c.transactional }))).toEqual(c.expect[provider])
      })
    }
  }

  it('a PostgreSQL enum rebuilt without a value', () => {
    const sql = `ALTER TYPE "role" RENAME TO "role_old";\nCREATE TYPE "role" AS ENUM ('ADMIN', 'USER');\nALTER TABLE "users" ALTER COLUMN "role" TYPE "role" USING "role"::text::"role";\nDROP TYPE "role_old";`
    const findings = lintSql(sql, 'postgres')
    expect(codes(findings)).toEqual(['drop-enum-value'])
    expect(findings[0]!.message).toBe('enum role loses value GUEST: rows holding it make the migration fail')
  })

  it('names the file and the line of each statement', () => {
    const findings = lintSql(`-- a comment\nALTER TABLE "users"\n  ADD COLUMN "bio" TEXT;\n\nALTER TABLE "users"\n  DROP COLUMN "age";\n`, 'sqlite')
    expect(findings).toEqual([
      {
        code: 'drop-column',
        severity: 'error',
        migration: 'm',
        file: 'migrations/m/migration.sql',
        line: 5,
        message: 'column users.age is dropped with every value in it',
        fix: expect.stringContaining('drop it in a later migration'),
      },
    ])
  })

  it('-- okra:lint-ignore silences the codes it names for the next statement, or for the whole file before the first one', () => {
    const above = `ALTER TABLE "users" ADD COLUMN "bio" TEXT;\n-- okra:lint-ignore drop-column, rename-table\n-- the data moved to profiles\nALTER TABLE "users" DROP COLUMN "age";\nALTER TABLE "users" DROP COLUMN "name";`
    expect(lintSql(above, 'sqlite').map((f) => `${f.code}:${f.line}`)).toEqual(['drop-column:5'])
    const whole = `-- okra:lint-ignore drop-column\n\nALTER TABLE "users" DROP COLUMN "age";\nALTER TABLE "users" DROP COLUMN "name";\nDROP TABLE "posts";`
    expect(codes(lintSql(whole, 'sqlite'))).toEqual(['drop-table'])
  })

  it('edited-sql: a file that differs from what its schemas derive, at its first differing statement; layout and comments do not count', async () => {
    const dialect = dialectOf('sqlite')
    const step = await deriveStep(schemaOf(BASE), schemaOf(edited((s) => s.replace('age: Int', 'age: Int\n    bio: String'))), dialect, [])
    const derived = toScript(step.statements)
    expect(lintSql(`-- okra:provider sqlite\n-- reviewed\n${derived.replace(/ /g, '  ')}`, 'sqlite', { derivedScript: derived })).toEqual([])
    const findings = lintSql(`${derived}\nUPDATE "users" SET "bio" = "name";\n`, 'sqlite', { derivedScript: derived })
    expect(findings.map((f) => `${f.code}:${f.severity}:${f.line}`)).toEqual(['edited-sql:warning:3'])
  })
})

describe('the lint codes in the docs', () => {
  it('every code has its entry in the README and its row in docs/migrations.md', async () => {
    const { readFileSync } = await import('node:fs')
    const { LINT_CODE_NAMES } = await import('../../src/migrations/lint/index')
    const root = new URL('../../', import.meta.url)
    const readme = readFileSync(new URL('README.md', root), 'utf8')
    const page = readFileSync(new URL('docs/migrations.md', root), 'utf8')
    expect(LINT_CODE_NAMES.length).toBe(11)
    expect(LINT_CODE_NAMES.filter((code) => !readme.includes(`| \`${code}\` |`) || !page.includes(`| \`${code}\` |`))).toEqual([])
  })
})

describe('lint of a generated migration.sql', () => {
  it('a file holding exactly the derived statements is read through its typed changes, with the lines of the file', async () => {
    const dialect = dialectOf('postgres')
    const step = await deriveStep(schemaOf(BASE), schemaOf(edited((s) => s.replace('ADMIN USER GUEST', 'ADMIN USER'))), dialect, [])
    const derived = toScript(step.statements)
    const file = `-- okra:provider postgres\n-- generated\n\n${derived}`
    const findings = lintMigration({ migration: 'm', file: 'migrations/m/migration.sql', provider: 'postgres', script: file, transactional: true, before: step.from, changes: step.changes, derivedScript: derived })
    // The enum swap's ALTER COLUMN ... TYPE is part of removing the value, not a type change of its own.
    expect(findings.map((f) => `${f.code} ${f.file}:${f.line}`)).toEqual(['drop-enum-value migrations/m/migration.sql:4'])
    expect(file.split('\n')[3]).toBe('ALTER TYPE "role" RENAME TO "role_okra_old";')
    // Edited, it is read as the text it is, and the edit is reported.
    const edited2 = `${file}\nDELETE FROM "users" WHERE "role" = 'GUEST';\n`
    const again = lintMigration({ migration: 'm', file: 'migrations/m/migration.sql', provider: 'postgres', script: edited2, transactional: true, before: step.from, changes: step.changes, derivedScript: derived })
    expect(codes(again)).toEqual(['drop-enum-value', 'edited-sql'])
  })
})
