/**
 * `okra db:backup` / `db:backup --list` / `db:restore`, as whole okra processes on SQLite and PostgreSQL:
 * backups named `<db>-<timestamp>`, kept per database (`backups.keep`), restored by name or the newest,
 * asked for (or --force), refused in production without --force, and named wherever OKRA mentions one.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import type { Provider } from '../../src/schema/physical-types'
import { CHILD_NODE_PATH } from '../helpers/bundle'
import { usePgDatabase } from '../helpers/pg'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { sql } from '../helpers/dialects'

const pgdb = await usePgDatabase()

const SCHEMA = 'enum Role { ADMIN USER }\nmodel User {\n  id: Int! @id @default(autoincrement)\n  name: String!\n  role: Role! @default(USER)\n  posts: [Post!]!\n}\nmodel Post {\n  id: Int! @id @default(autoincrement)\n  title: String!\n  author: User! @relation(fields: [authorId], references: [id])\n  authorId: Int!\n}\n'
const NAME = /^[a-z0-9_.]+-\d{8}-\d{6}-\d{3}(-\d+)?$/

function project(provider: Provider, extra: Record<string, unknown> = {}): { root: string; url: string } {
  const root = makeTempDir('okra-backup-')
  const url = provider === 'postgres' ? pgdb.url : `sqlite://${join(root, 'dev.db')}`
  writeFiles(root, {
    'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'], environments: { production: {} } }, ...extra }),
    'models.okra.gql': SCHEMA,
  })
  return { root, url }
}

const names = async (root: string, url: string) => (await sql<{ name: string }>(root, url, 'SELECT name FROM users ORDER BY id')).map((r) => r.name)

function okra(args: string[], root: string, env: Record<string, string> = {}) {
  return okraProcess(args, { cwd: root, env })
}

function list(root: string): { name: string; location: string; takenAt: string }[] {
  const r = okra(['db:backup', '--list', '--json'], root)
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout).backups
}

describe.each(['sqlite', 'postgres'] as const)('backups on %s', (provider) => {
  beforeEach(async () => {
    if (provider === 'postgres') await pgdb.reset()
  })

  it('db:backup takes one named <db>-<timestamp>; --list shows them newest first; db:restore brings the newest or a named one back', async () => {
    const { root, url } = project(provider)
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, `INSERT INTO users (name, role) VALUES ('Ada', 'ADMIN'), ('Bob', 'USER')`)
    await sql(root, url, `INSERT INTO posts (title, author_id) SELECT 'Hello', id FROM users`)

    const first = okra(['db:backup'], root)
    expect(first.code).toBe(0)
    const firstName = /✓ Backup (\S+) of /.exec(first.stdout)![1]!
    expect(firstName).toMatch(NAME)
    expect(firstName.startsWith(provider === 'sqlite' ? 'dev-' : `${new URL(pgdb.url).pathname.slice(1)}`)).toBe(true)
    expect(first.stdout).toContain(`Restore it with: okra db:restore ${firstName}`)
    if (provider === 'sqlite') expect(existsSync(join(root, '.okra/backups', `${firstName}.db`))).toBe(true)
    else expect(first.stdout).toContain(`schema okra_backup_${firstName.replace(/-/g, '_')} (`)

    await sql(root, url, `INSERT INTO users (name) VALUES ('Cy')`)
    const second = /✓ Backup (\S+) of /.exec(okra(['db:backup'], root).stdout)![1]!
    expect(list(root).map((b) => b.name)).toEqual([second, firstName])
    const text = okra(['db:backup', '--list'], root)
    expect(text.stdout).toMatch(/^Backups of .*, newest first \(the newest 5 are kept\):\n/)
    expect(text.stdout.indexOf(second)).toBeLessThan(text.stdout.indexOf(firstName))

    // Rows go; the newest backup brings them back, and the restore took a backup of its own first.
    await sql(root, url, 'DELETE FROM posts')
    await sql(root, url, 'DELETE FROM users')
    const noTerminal = okra(['db:restore'], root)
    expect(noTerminal.code).toBe(1)
    expect(noTerminal.stderr).toContain('hint: Run it again with --force to restore without asking.')
    expect(await names(root, url)).toEqual([])
    const restored = okra(['db:restore', '--force'], root)
    expect(restored.code).toBe(0)
    expect(restored.stdout).toContain(`✓ Restored ${second} (`)
    const undo = /just before is backup (\S+) \(okra db:restore \1 undoes this\)/.exec(restored.stdout)![1]!
    expect(await names(root, url)).toEqual(['Ada', 'Bob', 'Cy'])
    expect((await sql<{ n: number | string }>(root, url, 'SELECT count(*) AS n FROM posts'))[0]!.n).toEqual(provider === 'sqlite' ? 2 : '2')
    // New rows continue after the restored keys.
    await sql(root, url, `INSERT INTO users (name) VALUES ('Dee')`)
    expect(await names(root, url)).toEqual(['Ada', 'Bob', 'Cy', 'Dee'])

    // By name: the first one; and the undo backup holds the empty tables.
    expect(okra(['db:restore', firstName, '--force'], root).code).toBe(0)
    expect(await names(root, url)).toEqual(['Ada', 'Bob'])
    expect(okra(['db:restore', undo, '--force'], root).code).toBe(0)
    expect(await names(root, url)).toEqual([])

    const unknown = okra(['db:restore', 'dev-20000101-000000-000', '--force'], root)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('error: There is no backup named dev-20000101-000000-000 of ')
    expect(unknown.stderr).toContain(`hint: The backups of this database, newest first: `)
    expect(unknown.stderr).toContain(firstName)
  })

  it('keeps the newest backups.keep of each database, and is refused in production without --force', async () => {
    const { root, url } = project(provider, { backups: { keep: 2 } })
    expect(okra(['db:sync'], root).code).toBe(0)
    const taken = [1, 2, 3].map(() => /✓ Backup (\S+) of /.exec(okra(['db:backup'], root).stdout)![1]!)
    expect(list(root).map((b) => b.name)).toEqual([taken[2], taken[1]])
    if (provider === 'sqlite') expect(readdirSync(join(root, '.okra/backups')).sort()).toEqual([`${taken[1]}.db`, `${taken[2]}.db`])
    else expect((await sql(root, url, `SELECT 1 FROM pg_namespace WHERE nspname LIKE 'okra_backup_%'`)).length).toBe(2)

    await sql(root, url, `INSERT INTO users (name) VALUES ('Ada')`)
    const refused = okra(['db:restore', '--env', 'production'], root)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe(
      'error: Refusing to restore a backup over the database of the production environment: every row written since it was taken is lost\nhint: If you really mean it, run it again with --force.\n',
    )
    expect(await names(root, url)).toEqual(['Ada'])
    expect(okra(['db:restore', '--env', 'production', '--force'], root).code).toBe(0)
    expect(await names(root, url)).toEqual([])
  })

  it('db:sync --backup names the backup it took', async () => {
    const { root, url } = project(provider)
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, `INSERT INTO users (name) VALUES ('Ada')`)
    writeFileSync(join(root, 'models.okra.gql'), SCHEMA.replace('  name: String!\n', ''))
    const r = okra(['db:sync', '--backup'], root)
    expect(r.code).toBe(0)
    if (provider === 'sqlite') {
      const [file] = readdirSync(join(root, '.okra/backups'))
      const name = file!.replace(/\.db$/, '')
      expect(name).toMatch(NAME)
      expect(r.stderr + r.stdout).toContain(`Backup: ${name} (.okra/backups/${file}); restore it with \`okra db:restore ${name}\``)
    } else {
      expect(r.stderr + r.stdout).toMatch(/Backup: the rows as they were are in okra_backup(?:_\w+)?\."\d+_users"/)
    }
  })
})

describe('backups of two SQLite databases', () => {
  it('are named after each file and pruned each on its own', async () => {
    const root = makeTempDir('okra-backup-two-')
    writeFiles(root, {
      'okra.config.json': JSON.stringify({
        database: { url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'], environments: { staging: { url: 'sqlite://./staging.db' } } },
        backups: { keep: 1 },
      }),
      'models.okra.gql': SCHEMA,
    })
    expect(okra(['db:sync'], root).code).toBe(0)
    expect(okra(['db:sync', '--env', 'staging'], root).code).toBe(0)
    const staging = /✓ Backup (\S+) of /.exec(okra(['db:backup', '--env', 'staging'], root).stdout)![1]!
    expect(staging).toMatch(/^staging-/)
    okra(['db:backup'], root)
    const dev = /✓ Backup (\S+) of /.exec(okra(['db:backup'], root).stdout)![1]!
    expect(readdirSync(join(root, '.okra/backups')).sort()).toEqual([`${dev}.db`, `${staging}.db`])
    expect(JSON.parse(okra(['db:backup', '--list', '--json', '--env', 'staging'], root).stdout).backups.map((b: { name: string }) => b.name)).toEqual([staging])
  })

  it('with backups.keep 1, a restore keeps the backup it restores; a deleted file is listed without being created, and restored', async () => {
    const root = makeTempDir('okra-backup-keep1-')
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'] }, backups: { keep: 1 } }), 'models.okra.gql': SCHEMA })
    const url = `sqlite://${join(root, 'dev.db')}`
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, `INSERT INTO users (name) VALUES ('Ada')`)
    const taken = /✓ Backup (\S+) of /.exec(okra(['db:backup'], root).stdout)![1]!
    await sql(root, url, 'DELETE FROM users')
    expect(okra(['db:restore', '--force'], root).code).toBe(0)
    expect(await names(root, url)).toEqual(['Ada'])
    for (const f of ['dev.db', 'dev.db-wal', 'dev.db-shm']) rmSync(join(root, f), { force: true })
    expect(list(root).map((b) => b.name)).toContain(taken)
    expect(existsSync(join(root, 'dev.db'))).toBe(false)
    const restored = okra(['db:restore', taken, '--force'], root)
    expect(restored.code).toBe(0)
    expect(restored.stdout).not.toContain('just before')
    expect(await names(root, url)).toEqual(['Ada'])
  })

  it('while another process writes: each backup is one consistent state, and no half-written file is ever left', async () => {
    const root = makeTempDir('okra-backup-writer-')
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'] }, backups: { keep: 10 } }), 'models.okra.gql': SCHEMA })
    const url = `sqlite://${join(root, 'dev.db')}`
    expect(okra(['db:sync'], root).code).toBe(0)
    // The writer: one user and one post per transaction, as fast as it can, until killed.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(${JSON.stringify(join(root, 'dev.db'))}, { timeout: 5000 })
db.pragma('journal_mode = WAL')
const pair = db.transaction((i) => { const id = db.prepare("INSERT INTO users (name) VALUES (?)").run('u' + i).lastInsertRowid; db.prepare('INSERT INTO posts (title, author_id) VALUES (?, ?)').run('p' + i, id) })
for (let i = 0; ; i++) { pair(i); if (i === 50) process.stdout.write('writing\\n') }`,
      ],
      { cwd: root, env: { ...process.env, NODE_PATH: CHILD_NODE_PATH }, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout!.once('data', () => resolve())
        writer.once('exit', (code) => reject(new Error(`the writer exited (${code})`)))
      })
      const taken = [0, 1, 2].map(() => /✓ Backup (\S+) of /.exec(okra(['db:backup'], root).stdout)![1]!)
      expect(writer.exitCode, 'the writer wrote all along').toBeNull()
      for (const name of taken) {
        const copy = await openDriver(`sqlite://${join(root, '.okra/backups', `${name}.db`)}`, { root })
        try {
          expect(await copy.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
          const [counts] = await copy.query<{ users: number; posts: number }>('SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts')
          expect(counts!.users, `${name}: every user with its post`).toBe(counts!.posts)
          expect(counts!.users).toBeGreaterThan(50)
        } finally {
          await copy.close()
        }
      }
    } finally {
      writer.kill('SIGKILL')
    }
    expect(readdirSync(join(root, '.okra/backups')).filter((f) => !f.endsWith('.db'))).toEqual([])
    expect((await sql<{ n: number }>(root, url, 'SELECT COUNT(*) AS n FROM posts'))[0]!.n).toBeGreaterThan(50)
  })

  it('db:backup of a database that does not exist says so and creates nothing', () => {
    const root = makeTempDir('okra-backup-none-')
    writeFiles(root, { 'models.okra.gql': SCHEMA })
    const r = okra(['db:backup'], root)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error: There is no database to back up: sqlite://')
    expect(existsSync(join(root, 'dev.db'))).toBe(false)
  })
})

describe('a PostgreSQL restore', () => {
  it('fills tables whose foreign keys form a cycle, and checks every reference again', async () => {
    await pgdb.reset()
    const { root, url } = project('postgres')
    writeFileSync(
      join(root, 'models.okra.gql'),
      'model Person {\n  id: Int! @id\n  teamId: Int?\n  team: Team? @relation(name: "member", fields: [teamId], references: [id])\n  owns: [Team!]! @relation(name: "owner")\n}\n' +
        'model Team {\n  id: Int! @id\n  ownerId: Int?\n  owner: Person? @relation(name: "owner", fields: [ownerId], references: [id])\n  members: [Person!]! @relation(name: "member")\n}\n',
    )
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, 'INSERT INTO people (id) VALUES (1), (2)')
    await sql(root, url, 'INSERT INTO teams (id, owner_id) VALUES (10, 1), (20, 2)')
    await sql(root, url, 'UPDATE people SET team_id = CASE id WHEN 1 THEN 20 ELSE 10 END')
    expect(okra(['db:backup'], root).code).toBe(0)
    await sql(root, url, 'UPDATE people SET team_id = NULL')
    await sql(root, url, 'DELETE FROM teams')
    const r = okra(['db:restore', '--force'], root)
    expect(r.code, r.stderr).toBe(0)
    expect(await sql(root, url, 'SELECT id, team_id AS "teamId" FROM people ORDER BY id')).toEqual([
      { id: 1, teamId: 20 },
      { id: 2, teamId: 10 },
    ])
    expect(await sql(root, url, 'SELECT id, owner_id AS "ownerId" FROM teams ORDER BY id')).toEqual([
      { id: 10, ownerId: 1 },
      { id: 20, ownerId: 2 },
    ])
    // Both foreign keys are there again, and enforced.
    await expect(sql(root, url, 'UPDATE people SET team_id = 99 WHERE id = 1')).rejects.toThrow(/foreign key/)
    await expect(sql(root, url, 'UPDATE teams SET owner_id = 99 WHERE id = 10')).rejects.toThrow(/foreign key/)
  })

  it('is refused, changing nothing, when the tables no longer have the structure of the backup', async () => {
    await pgdb.reset()
    const { root, url } = project('postgres')
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, `INSERT INTO users (name) VALUES ('Ada')`)
    expect(okra(['db:backup'], root).code).toBe(0)
    writeFileSync(join(root, 'models.okra.gql'), SCHEMA.replace('  name: String!\n', '  name: String!\n  email: String?\n'))
    expect(okra(['db:sync'], root).code).toBe(0)
    await sql(root, url, `INSERT INTO users (name) VALUES ('Bob')`)
    const r = okra(['db:restore', '--force'], root)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('the tables are no longer as they were when it was taken, so nothing was changed:\n  table users: the backup has columns (id, name, role), the database (email, id, name, role)')
    expect(r.stderr).toContain('hint: A PostgreSQL backup holds rows, not structure.')
    expect(await names(root, url)).toEqual(['Ada', 'Bob'])
  })
})
