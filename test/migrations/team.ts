/**
 * A team's project in a real git repository: a base migration on main, two branches that each add a
 * column to `products` and snapshot it, merged back, then rebased. What is under test runs as whole `okra`
 * processes (as a developer or CI runs it); the setup (snapshots, migrate:up on the branches) runs in this
 * process, to keep the suites fast. Databases are plain SQLite files or PostgreSQL schemas, named by the
 * `DATABASE_URL` each process gets.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { expect } from 'vitest'
import { MIGRATION_ID } from '../../src/migrations/folders'
import { snapshot } from '../../src/migrations/snapshot'
import { migrateUp } from '../../src/migrations/up'
import { type ProcessResult, okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

export type Provider = 'sqlite' | 'postgres'

export const BASE = `model Product {
  id: String!
  name: String!
  description: String
  price: Float!
  stock: Int! @default(0)
}
`
/** Branch A adds `sku` right after `id`; branch B adds `weight` at the end, so git merges the files without a conflict. */
export const WITH_SKU = BASE.replace('  name: String!\n', '  sku: String\n  name: String!\n')
export const WITH_WEIGHT = BASE.replace('  stock: Int! @default(0)\n', '  stock: Int! @default(0)\n  weight: Float\n')

/** One database of the scenario: its URL and how to read and write rows in it. */
export interface TeamDatabase {
  url: string
  exec(sql: string): Promise<void>
  rows(sql: string): Promise<Record<string, unknown>[]>
  columns(table: string): Promise<string[]>
  tables(): Promise<string[]>
}

export interface Team {
  root: string
  provider: Provider
  git(...args: string[]): string
  /** `git` that may fail: its status and output. */
  tryGit(...args: string[]): { status: number | null; output: string }
  /** `git add -A` and a commit of everything. */
  commit(message: string): void
  /** From main, a branch `name` with `schema` snapshotted as `snapshotName` and committed; its migration folder. */
  branch(name: string, schema: string, snapshotName: string): Promise<string>
  okra(args: string[], database?: TeamDatabase): ProcessResult
  /** Runs okra and fails the test with its output unless it exits 0. */
  ok(args: string[], database?: TeamDatabase): ProcessResult
  /** Setup steps, in this process (what is under test runs as whole processes): a snapshot (as --force), migrate:up. */
  snapshot(name: string): Promise<void>
  up(database: TeamDatabase): Promise<void>
  schema(text: string): void
  migrations(): string[]
  read(path: string): string
  database(name: string): Promise<TeamDatabase>
}

export async function makeTeam(provider: Provider, options: { generateSQL: boolean; pgUrl?: string }): Promise<Team> {
  const root = makeTempDir('okra-team-')
  const config = { database: { provider, url: '${DATABASE_URL}', schemas: ['./models.okra.gql'], migrations: { generateSQL: options.generateSQL } } }
  writeFiles(root, {
    'okra.config.json': JSON.stringify(config, null, 2) + '\n',
    'models.okra.gql': BASE,
    '.gitignore': '*.db\n*.db-*\n.okra/\nmigrations/current/\nsrc/generated/\nokra.d.ts\nnode_modules/\ndist/\n',
  })
  const runGit = (args: string[]) =>
    spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } })
  const git = (...args: string[]) => {
    const r = runGit(args)
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`)
    return r.stdout
  }
  const tryGit = (...args: string[]) => {
    const r = runGit(args)
    return { status: r.status, output: r.stdout + r.stderr }
  }
  const commit = (message: string) => {
    git('add', '-A')
    git('commit', '-qm', message)
  }
  git('init', '-q', '-b', 'main')
  git('config', 'merge.conflictstyle', 'merge')
  const databases = new Map<string, TeamDatabase>()
  // PostgreSQL schemas of one test file's database: each team's own.
  const tag = `t${root.slice(-6).toLowerCase().replace(/[^a-z0-9]/g, '')}`
  // Commands that open no database still need a URL of the provider.
  const unused = provider === 'sqlite' ? 'sqlite://./unused.db' : 'postgres://127.0.0.1:9/unused'
  const okra = (args: string[], database?: TeamDatabase) => okraProcess(args, { cwd: root, env: { DATABASE_URL: database?.url ?? unused } })
  const team: Team = {
    root,
    provider,
    git,
    tryGit,
    commit,
    async branch(name, schema, snapshotName) {
      git('checkout', '-q', 'main')
      git('checkout', '-qb', name)
      team.schema(schema)
      await team.snapshot(snapshotName)
      commit(snapshotName)
      return team.migrations().find((id) => id.endsWith(`_${snapshotName}`))!
    },
    okra,
    ok(args, database) {
      const r = okra(args, database)
      if (r.code !== 0) expect.fail(`okra ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`)
      return r
    },
    async snapshot(name) {
      const result = await snapshot({ cwd: root, processEnv: { DATABASE_URL: unused }, notSynced: 'force', name })
      expect(result.outcome).toBe('written')
    },
    async up(database) {
      await migrateUp({ cwd: root, processEnv: { DATABASE_URL: database.url }, backup: false })
    },
    schema: (text) => writeFileSync(join(root, 'models.okra.gql'), text),
    migrations: () => readdirSync(join(root, 'migrations')).filter((n) => MIGRATION_ID.test(n)).sort(),
    read: (path) => readFileSync(join(root, path), 'utf8'),
    async database(name) {
      const known = databases.get(name)
      if (known) return known
      const db = provider === 'sqlite' ? sqliteDatabase(join(root, `${name}.db`)) : await pgDatabase(options.pgUrl!, `${tag}_${name}`)
      databases.set(name, db)
      return db
    },
  }
  return team
}

function sqliteDatabase(file: string): TeamDatabase {
  const open = () => new Database(file)
  const use = <T>(fn: (db: Database.Database) => T): T => {
    const db = open()
    try {
      return fn(db)
    } finally {
      db.close()
    }
  }
  return {
    url: `sqlite://${file}`,
    exec: async (sql) => void use((db) => db.exec(sql)),
    rows: async (sql) => use((db) => db.prepare(sql).all() as Record<string, unknown>[]),
    columns: async (table) => use((db) => (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name).sort()),
    tables: async () => use((db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name)),
  }
}

/** A PostgreSQL schema of its own in the test file's database (`?schema=` in the URL). */
async function pgDatabase(fileUrl: string, name: string): Promise<TeamDatabase> {
  const url = new URL(fileUrl)
  const prefix = url.searchParams.get('schema')
  const schema = prefix ? `${prefix}_${name}` : name
  url.searchParams.delete('schema')
  const connection = url.toString()
  const run = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: connection })
    await client.connect()
    try {
      await client.query(`SET search_path TO "${schema}"`)
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  await run((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`))
  const withSchema = new URL(fileUrl)
  withSchema.searchParams.set('schema', schema)
  return {
    url: withSchema.toString(),
    exec: async (sql) => void (await run((c) => c.query(sql))),
    rows: async (sql) => (await run((c) => c.query(sql))).rows,
    columns: async (table) =>
      (await run((c) => c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`, [schema, table]))).rows
        .map((r) => r.column_name as string)
        .sort(),
    tables: async () =>
      (await run((c) => c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]))).rows.map((r) => r.table_name as string),
  }
}

/**
 * main: the base migration; branch `sku` adds products.sku, branch `weight` adds products.weight, each
 * snapshotted and committed; then both merged into main (git merges every file cleanly). Databases
 * `applied-sku` and `applied-weight` ran migrate:up on their branch and hold rows written there.
 */
export async function forkedTeam(team: Team): Promise<{ sku: string; weight: string; init: string }> {
  await team.snapshot('init')
  team.commit('init')
  const [init] = team.migrations()

  const sku = await team.branch('sku', WITH_SKU, 'add_sku')
  const a = await team.database('applied_sku')
  await team.up(a)
  await a.exec(`INSERT INTO "products" ("id", "name", "price", "stock", "sku") VALUES ('p1', 'Lamp', 10, 1, 'L-1')`)

  const weight = await team.branch('weight', WITH_WEIGHT, 'add_weight')
  const b = await team.database('applied_weight')
  await team.up(b)
  await b.exec(`INSERT INTO "products" ("id", "name", "price", "stock", "weight") VALUES ('p2', 'Desk', 90, 2, 12.5)`)

  team.git('checkout', '-q', 'main')
  team.git('merge', '-q', '--no-edit', 'sku')
  team.git('merge', '-q', '--no-edit', 'weight')
  return { sku, weight, init: init! }
}
