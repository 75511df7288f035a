/**
 * `okra migrate:lint` as a whole process (the built dist/okra.cjs): pending against the database's
 * `_okra_migrations`, `--all`, `--json`, `--exit-code`, hand-written files with their lines, a database that
 * cannot be reached, PostgreSQL's index-not-concurrent; and `db:migrate:snapshot` printing the findings of
 * the migration it wrote, as warnings.
 */
import { describe, expect, it } from 'vitest'
import { okraProcess } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeProject } from './project'

const pgdb = await usePgDatabase()

const INIT = `
  model User {
    id: Int! @id @default(autoincrement)
    email: String!
    age: Int
  }`

const DROP_AGE = `
  model User {
    id: Int! @id @default(autoincrement)
    email: String! @unique
  }`

interface LintJSON {
  ok: boolean
  scope: string
  database: string
  migrations: string[]
  findings: { code: string; severity: string; migration: string; file: string | null; line: number; message: string; fix: string }[]
  errors: number
  warnings: number
}

const json = (stdout: string) => JSON.parse(stdout) as LintJSON

describe('okra migrate:lint', () => {
  it('lints the pending migrations only; --exit-code exits 2 on an error; --all lints every one without a database; --json', async () => {
    const p = makeProject()
    p.schema(INIT)
    const [init] = [(await p.snapshot('init')).id!]
    expect(okraProcess(['migrate:up'], { cwd: p.root }).code).toBe(0)
    p.schema(DROP_AGE)
    const drop = (await p.snapshot('drop_age')).id!

    const text = okraProcess(['migrate:lint'], { cwd: p.root })
    expect(text.code).toBe(0)
    expect(text.stdout).toBe(
      [
        drop,
        '  error   drop-column  derived SQL line 1: field User.age (column users.age) is dropped with every value in it',
        '          fix: Stop reading the column first (deploy that), copy its data if it is needed, then drop it in a later migration.',
        '  warning add-unique  derived SQL line 3: a unique index on User(email) fails if existing rows already hold duplicate values',
        '          fix: Check for duplicates first (SELECT the columns, COUNT(*) ... GROUP BY ... HAVING COUNT(*) > 1) and resolve them before deploying.',
        '1 pending migration linted for sqlite: 1 error, 1 warning.',
        '',
      ].join('\n'),
    )
    expect(okraProcess(['db:migrate:lint', '--exit-code'], { cwd: p.root }).code).toBe(2)

    const pending = okraProcess(['migrate:lint', '--json'], { cwd: p.root })
    expect(json(pending.stdout)).toMatchObject({ ok: true, scope: 'pending', database: 'exists', migrations: [drop], errors: 1, warnings: 1 })
    expect(json(pending.stdout).findings.map((f) => [f.code, f.severity, f.migration, f.file, f.line])).toEqual([
      ['drop-column', 'error', drop, null, 1],
      ['add-unique', 'warning', drop, null, 3],
    ])

    const all = okraProcess(['migrate:lint', '--all', '--json'], { cwd: p.root, env: { DATABASE_URL: undefined } })
    expect(json(all.stdout)).toMatchObject({ scope: 'all', database: 'not-read', migrations: [init, drop], errors: 1 })

    // Once applied, nothing is pending: the CI gate passes.
    expect(okraProcess(['migrate:up'], { cwd: p.root }).code).toBe(0)
    const none = okraProcess(['migrate:lint', '--exit-code'], { cwd: p.root })
    expect(none.code).toBe(0)
    expect(none.stdout).toMatch(/^✓ No pending migrations to lint on sqlite:\/\/.*dev\.db\.\n$/)
  })

  it('reads a hand-written migration.sql: names its file and lines, reports the edit, honours okra:lint-ignore', async () => {
    const p = makeProject()
    p.schema(INIT)
    await p.snapshot('init')
    p.schema(INIT.replace('age: Int', 'age: Int\n    bio: String'))
    const id = (await p.snapshot('add_bio')).id!
    p.write(
      `migrations/${id}/migration.sql`,
      [
        'ALTER TABLE "users" ADD COLUMN "bio" TEXT;',
        'COMMIT;',
        '-- okra:lint-ignore drop-column',
        'ALTER TABLE "users" DROP COLUMN "age";',
        'UPDATE "users" SET "bio" = \'none\';',
        'ALTER TABLE "users" RENAME COLUMN "email" TO "mail";',
        '',
      ].join('\n'),
    )
    const run = okraProcess(['migrate:lint', '--json', '--exit-code'], { cwd: p.root })
    expect(run.code).toBe(2)
    const file = `migrations/${id}/migration.sql`
    expect(json(run.stdout).findings.map((f) => `${f.code} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      `transaction-control error ${file}:2`,
      `edited-sql warning ${file}:2`,
      `rename-column warning ${file}:6`,
    ])
    // migrate:up refuses the same COMMIT before running anything.
    const up = okraProcess(['migrate:up'], { cwd: p.root })
    expect(up.code).toBe(1)
    expect(up.stderr).toContain(`${file}:2: COMMIT`)
    expect(json(run.stdout).database).toBe('missing')
  })

  it('says so when the database cannot be reached, and lints every migration as pending', async () => {
    const p = makeProject({ url: 'postgres://okra:secret-pw@127.0.0.1:9/nowhere' })
    p.schema(INIT)
    const id = (await p.snapshot('init')).id!
    const run = okraProcess(['migrate:lint'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^warning: could not read postgres:\/\/okra:\*\*\*@127\.0\.0\.1:9\/nowhere \(.+\): every migration counts as pending\. Use --all to say so/)
    expect(run.stderr + run.stdout).not.toContain('secret-pw')
    expect(run.stdout).toBe('✓ 1 pending migration linted for postgres: 0 errors, 0 warnings.\n')
    expect(json(okraProcess(['migrate:lint', '--json'], { cwd: p.root }).stdout)).toMatchObject({ database: 'unreachable', migrations: [id] })
  })

  it('with the URL\'s variable unset (CI without a database), warns and lints every migration', async () => {
    const p = makeProject({ config: { database: { provider: 'postgres', url: '${DATABASE_URL}', schemas: ['./models.okra.gql'] } } })
    p.schema(INIT)
    expect(okraProcess(['db:migrate:snapshot', '--force', '--name', 'init'], { cwd: p.root }).code).toBe(0)
    const [id] = p.migrations()
    const run = okraProcess(['migrate:lint', '--exit-code'], { cwd: p.root })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('warning: could not read the database (its URL is not set: a variable it names is missing): every migration counts as pending. Use --all to say so, or run it where the database is reachable.\n')
    expect(json(okraProcess(['migrate:lint', '--json'], { cwd: p.root }).stdout)).toMatchObject({ database: 'unreachable', migrations: [id] })
  })

  it('on PostgreSQL: an index on an existing table is not concurrent; the migration that created the table is applied and not linted', async () => {
    await pgdb.reset()
    const p = makeProject({ url: pgdb.url })
    p.schema(INIT)
    await p.snapshot('init')
    const up = okraProcess(['migrate:up'], { cwd: p.root })
    expect(up.code, up.stderr).toBe(0)
    p.schema(INIT.replace('age: Int', 'age: Int\n    @@index([email])'))
    const id = (await p.snapshot('index_email')).id!
    const run = okraProcess(['migrate:lint', '--json'], { cwd: p.root })
    expect(json(run.stdout)).toMatchObject({ database: 'exists', migrations: [id], errors: 0, warnings: 1 })
    expect(json(run.stdout).findings[0]).toMatchObject({ code: 'index-not-concurrent', migration: id, file: null, line: 1 })
    expect(okraProcess(['migrate:lint', '--exit-code'], { cwd: p.root }).code).toBe(0)
  })

  it('db:migrate:snapshot prints the findings of the migration it wrote as warnings, and still succeeds', async () => {
    const p = makeProject()
    p.schema(INIT)
    expect(okraProcess(['db:migrate:snapshot', '--force', '--name', 'init'], { cwd: p.root }).stderr).toBe('')
    p.schema(DROP_AGE)
    const run = okraProcess(['db:migrate:snapshot', '--force', '--name', 'drop_age'], { cwd: p.root })
    expect(run.code).toBe(0)
    const [id] = p.migrations().slice(-1)
    expect(run.stdout).toContain(`✓ Wrote migrations/${id}/`)
    expect(run.stderr).toBe(
      [
        'warning: okra migrate:lint found 2 risks in the new migration:',
        id,
        '  error   drop-column  derived SQL line 1: field User.age (column users.age) is dropped with every value in it',
        '          fix: Stop reading the column first (deploy that), copy its data if it is needed, then drop it in a later migration.',
        '  warning add-unique  derived SQL line 3: a unique index on User(email) fails if existing rows already hold duplicate values',
        '          fix: Check for duplicates first (SELECT the columns, COUNT(*) ... GROUP BY ... HAVING COUNT(*) > 1) and resolve them before deploying.',
        '',
      ].join('\n'),
    )
    const asJson = JSON.parse(okraProcess(['db:migrate:snapshot', '--force', '--json'], { cwd: p.root }).stdout) as { outcome: string; lint: unknown[] }
    expect(asJson).toMatchObject({ outcome: 'nothing', lint: [] })
  })

  it('is listed in okra --help with its alias, and explains its flags', () => {
    const p = makeProject()
    expect(okraProcess(['--help'], { cwd: p.root }).stdout).toMatch(/^ {2}db:migrate:lint, migrate:lint +report risky statements/m)
    const help = okraProcess(['migrate:lint', '--help'], { cwd: p.root }).stdout
    expect(help.split('\n')[0]).toBe('Usage: okra db:migrate:lint [options]  (also: migrate:lint)')
    expect(help).toMatch(/--all +lint every migration/)
    expect(help).toMatch(/--exit-code +exit 2 when a finding has severity error/)
  })
})
