/**
 * The suite of the everyday flows of issue 11, as a user runs them (whole `okra` processes), on SQLite and PostgreSQL:
 * a migration for hand editing (`db:migrate:create`) whose hand-made index later syncs keep; a dev
 * database that knows its migrations (snapshot records them applied there, `migrate:up` spots what the
 * database already has, OKRA's own ledger writes are not "changes outside OKRA"); `--accept-data-loss`
 * with `snapshot --sync`, and the types written after a sync; `migrate:down` refusing hand-written SQL
 * without a down.sql. Run by flows-sqlite.test.ts and flows-postgres.test.ts.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { MIGRATION_ID } from '../../src/migrations/folders'
import { okra as okraInProcess } from '../cli/capture'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'


const V1 = 'model Note {\n  id: Int! @id @default(autoincrement)\n  title: String!\n}\n'
const V2 = 'model Note {\n  id: Int! @id @default(autoincrement)\n  title: String!\n  body: String\n}\n'
const V3 = 'model Note {\n  id: Int! @id @default(autoincrement)\n  title: String!\n  body: String\n  tag: String\n}\n'

interface Flow {
  root: string
  url: string
  /** The command under test: a whole `okra` process. */
  okra(...args: string[]): { code: number | null; stdout: string; stderr: string }
  /** A step that only sets the scene, run in this process (faster); it must succeed. */
  given(...args: string[]): Promise<void>
  schema(text: string): void
  migrations(): string[]
  read(path: string): string
  write(path: string, text: string): void
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>
  indexes(): Promise<string[]>
}

export interface FlowDialect {
  name: string
  /** The dev database's URL for a project in `root`. */
  url(root: string): string
  /** Empties the database before each test. */
  reset(): Promise<void>
}

export function flowSuite(dialect: FlowDialect): void {
describe(`on ${dialect.name}`, () => {
  beforeEach(() => dialect.reset())

  function flow(config: Record<string, unknown> = {}): Flow {
    const root = makeTempDir('okra-flows-')
    const url = dialect.url(root)
    const provider = url.startsWith('postgres') ? 'postgres' : 'sqlite'
    writeFiles(root, {
      'okra.config.json': JSON.stringify({ database: { provider, url, schemas: ['./models.okra.gql'] }, generate: { typescript: { out: './types.ts' } }, ...config }),
      'models.okra.gql': V1,
    })
    const query = async <T,>(sql: string) => {
      const driver = await openDriver(url, { root })
      try {
        return await driver.query<T>(sql)
      } finally {
        await driver.close()
      }
    }
    return {
      root,
      url,
      okra: (...args) => okraProcess(args, { cwd: root }),
      async given(...args) {
        const r = await okraInProcess(args, { cwd: root })
        if (r.code !== 0) throw new Error(`okra ${args.join(' ')} failed (${r.code}): ${r.stderr}`)
      },
      schema: (text) => writeFileSync(join(root, 'models.okra.gql'), text),
      migrations: () => readdirSync(join(root, 'migrations')).filter((n) => MIGRATION_ID.test(n)).sort(),
      read: (path) => readFileSync(join(root, path), 'utf8'),
      write: (path, text) => writeFiles(root, { [path]: text }),
      query,
      async indexes() {
        const sql =
          provider === 'sqlite'
            ? `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
            : `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'`
        return (await query<{ name: string }>(sql)).map((r) => r.name).sort()
      },
    }
  }

  const applied = async (f: Flow) => (await f.query<{ id: string }>('SELECT id FROM "_okra_migrations" ORDER BY id')).map((r) => r.id)

  it('snapshot --sync records the new migration as applied in the dev database; so does a snapshot of a synced one; the next sync trusts its record', async () => {
    const f = flow()
    await f.given('db:sync')
    const first = f.okra('db:migrate:snapshot', '--name', 'init')
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/✓ Recorded \d{8}_\d{6}_init as applied in .* \(it already has these changes\)/)
    f.schema(V2)
    const second = f.okra('db:migrate:snapshot', '--sync', '--name', 'body')
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('_body as applied in')
    const status = f.okra('migrate:status')
    expect(status.stdout).toContain('2 applied, 0 pending')
    expect(f.okra('migrate:up').stdout).toMatch(/Already up to date/)
    // The ledger writes did not count as changes made outside OKRA: no repair, no introspection.
    const next = f.okra('db:sync', '--json')
    expect(next).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(next.stdout)).toMatchObject({ applied: false, source: 'current', repair: null })
  })

  it("a snapshot also records older pending migrations the synced dev database has (a teammate's); one with hand-written SQL stays pending for migrate:up", async () => {
    const f = flow()
    await f.given('db:sync')
    await f.given('db:migrate:snapshot', '--name', 'init')
    // Pulled from a teammate: a schema migration, and a data-only one with hand-written SQL.
    f.schema(V2)
    await f.given('db:migrate:snapshot', '--force', '--name', 'teammate_body')
    await f.given('db:migrate:create', '--force', '--name', 'teammate_backfill')
    const backfill = f.migrations().at(-1)!
    f.write(`migrations/${backfill}/migration.sql`, `${f.read(`migrations/${backfill}/migration.sql`)}UPDATE notes SET body = title;\n`)
    await f.given('db:sync')
    await f.query(`INSERT INTO notes (title) VALUES ('hello')`)
    f.schema(V3)
    const r = f.okra('db:migrate:snapshot', '--sync', '--name', 'tag')
    expect(r.code).toBe(0)
    const [init, body, , tag] = f.migrations()
    expect(r.stdout).toContain(`✓ Recorded ${body}, ${tag} as applied in`)
    expect(r.stderr).toContain(`warning: migrations/${backfill}/migration.sql holds hand-written SQL, so its migration stays pending in`)
    expect(await applied(f)).toEqual([init, body, tag])
    const up = f.okra('migrate:up')
    expect(up.code).toBe(0)
    expect(up.stdout).toContain(`✓ ${backfill}`)
    expect(await f.query('SELECT body FROM notes')).toEqual([{ body: 'hello' }])
  })

  it('migrate:up on a dev database that already has a pending migration says so; --resolve-applied records it; the next sync is not a repair', async () => {
    const f = flow()
    await f.given('db:migrate:snapshot', '--force', '--name', 'init') // written before the dev database was synced (a teammate's migration)
    await f.given('db:sync')
    const [id] = f.migrations()
    const refused = f.okra('migrate:up')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`already has the changes of pending migration ${id}: its structure is migrations/${id}/schema.json`)
    expect(refused.stderr).toContain('`okra migrate:up --resolve-applied` (or `okra migrate:resolve --applied')
    expect(refused.stderr).not.toMatch(/already exists|\n\s+at /)
    expect(f.okra('migrate:up', '--dry-run').stderr).toContain(`already has the changes of pending migration ${id}: its structure is migrations/${id}/schema.json (synced with db:sync, or changed by hand). A real run stops here unless given --resolve-applied.`)
    const resolved = f.okra('migrate:up', '--resolve-applied')
    expect(resolved.code).toBe(0)
    expect(resolved.stdout).toContain(`✓ ${id} (recorded as applied: the database already had its changes)`)
    expect(await applied(f)).toEqual([id])
    const next = f.okra('db:sync', '--json')
    expect(next.stderr).toBe('')
    expect(JSON.parse(next.stdout)).toMatchObject({ source: 'current', repair: null })
  })

  it('a migration failing on "already exists" names migrate:resolve --applied in its hint', async () => {
    const f = flow()
    await f.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, other TEXT)')
    await f.given('db:migrate:snapshot', '--force', '--name', 'init')
    const [id] = f.migrations()
    const r = f.okra('migrate:up')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/already exists/)
    expect(r.stderr).toContain(`record it without running it: \`okra migrate:resolve --applied ${id}\``)
  })

  it('migrate:resolve --applied on the dev database is not a change outside OKRA for the next sync', async () => {
    const f = flow()
    await f.given('db:migrate:snapshot', '--force', '--name', 'init')
    await f.given('db:sync')
    const [id] = f.migrations()
    expect(f.okra('migrate:resolve', '--applied', id!).code).toBe(0)
    f.schema(V2)
    const r = f.okra('db:sync')
    expect(r.code).toBe(0)
    expect(r.stderr).not.toContain('changed outside OKRA')
    expect(r.stderr).not.toContain('Reading the database')
  })

  it('after migrate:up applied a migration, the next sync reads the database and says why (not "outside OKRA")', async () => {
    const f = flow()
    await f.given('db:sync')
    await f.given('db:migrate:snapshot', '--name', 'init')
    f.schema(V2)
    await f.given('db:migrate:snapshot', '--force', '--name', 'body')
    const up = f.okra('migrate:up')
    expect(up.code).toBe(0)
    const r = f.okra('db:sync')
    expect(r.stderr).toMatch(/Reading the database instead of migrations\/current\/schema.json: migrate:up applied \d{8}_\d{6}_body since the last sync/)
    expect(r.stderr).not.toContain('outside OKRA')
  })

  it('snapshot --sync stops on data loss and names --accept-data-loss, which it then accepts; the types are written', async () => {
    const f = flow()
    await f.given('db:sync')
    await f.given('db:migrate:snapshot', '--name', 'init')
    await f.query(`INSERT INTO notes (title) VALUES ('kept')`)
    f.schema(V1.replace('  title: String!\n', ''))
    const stopped = f.okra('db:migrate:snapshot', '--sync', '--name', 'drop_title')
    expect(stopped.code).toBe(1)
    expect(stopped.stderr).toContain('--accept-data-loss')
    expect(f.migrations()).toHaveLength(1)
    const accepted = f.okra('db:migrate:snapshot', '--sync', '--accept-data-loss', '--name', 'drop_title')
    expect(accepted.code).toBe(0)
    expect(accepted.stdout).toContain('✓ Wrote types.ts')
    expect(f.migrations()).toHaveLength(2)
    expect(f.read('types.ts')).not.toContain('title')
    expect(f.okra('db:migrate:snapshot', '--force', '--accept-data-loss').code).toBe(64)
  })

  it('db:sync writes the configured types', async () => {
    const f = flow()
    expect(f.okra('db:sync').stdout).toContain('✓ Wrote types.ts')
    f.schema(V2)
    const r = f.okra('db:sync')
    expect(r.stdout).toContain('✓ Wrote types.ts')
    expect(f.read('types.ts')).toContain('body')
    expect(f.okra('db:sync').stdout).not.toContain('Wrote')
  })

  it('db:migrate:create: a hand-edited migration whose index later syncs keep; migrate:down refuses it without down.sql, then reverts with one', async () => {
    const f = flow()
    await f.given('db:sync')
    await f.given('db:migrate:snapshot', '--name', 'init')
    expect(f.okra('db:migrate:create').code).toBe(64)
    const created = f.okra('db:migrate:create', '--name', 'title_index')
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/✓ Wrote migrations\/\d{8}_\d{6}_title_index\/ \(migration\.json, migration\.sql, schema\.json/)
    expect(created.stdout).not.toContain('Recorded')
    const id = f.migrations().at(-1)!
    expect(f.read(`migrations/${id}/migration.sql`)).toMatch(/^-- A migration written by hand/)
    f.write(`migrations/${id}/migration.sql`, f.read(`migrations/${id}/migration.sql`) + 'CREATE INDEX notes_title_hand ON notes (title);\n')
    const up = f.okra('migrate:up')
    expect(up.code).toBe(0)
    expect(await f.indexes()).toEqual(['notes_title_hand'])
    // Later syncs (reading the database, as migrate:up changed it) leave the hand-made index alone.
    f.schema(V2)
    await f.given('db:sync')
    f.schema(V3)
    expect(f.okra('db:sync').code).toBe(0)
    expect(await f.indexes()).toEqual(['notes_title_hand'])
    expect(f.okra('migrate:status').stdout).not.toContain('Added index')

    // Back to the schema of the hand-made migration, then migrate:down: refused, nothing changed.
    f.schema(V1)
    await f.given('db:sync', '--accept-data-loss')
    const refused = f.okra('migrate:down', '--force')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`Cannot revert migration ${id}: migrations/${id}/migration.sql holds hand-written SQL and there is no migrations/${id}/down.sql`)
    expect(refused.stderr).toContain(`Write migrations/${id}/down.sql`)
    expect(refused.stdout).toBe('')
    expect(await f.indexes()).toEqual(['notes_title_hand'])
    expect(await applied(f)).toContain(id)
    expect(f.okra('migrate:down', '--dry-run').code).toBe(1)

    f.write(`migrations/${id}/down.sql`, 'DROP INDEX notes_title_hand;\n')
    const down = f.okra('migrate:down', '--force')
    expect(down.code).toBe(0)
    expect(await f.indexes()).toEqual([])
    expect(await applied(f)).not.toContain(id)
    expect(f.okra('migrate:up').code).toBe(0)
    expect(await f.indexes()).toEqual(['notes_title_hand'])
  })

  it('db:migrate:create with a schema change: migration.sql holds the net change; migrate:up applies it on another database', async () => {
    const f = flow()
    await f.given('db:migrate:snapshot', '--force', '--name', 'init')
    f.schema(V2)
    const created = f.okra('db:migrate:create', '--force', '--name', 'add_body')
    expect(created.code).toBe(0)
    expect(created.stdout).toContain("+ Added field 'body' to Note")
    const id = f.migrations().at(-1)!
    const sql = f.read(`migrations/${id}/migration.sql`)
    expect(sql).toMatch(/ALTER TABLE "notes" ADD COLUMN "body"/)
    f.write(`migrations/${id}/migration.sql`, `${sql}UPDATE notes SET body = title;\n`)
    expect(JSON.parse(f.read('migrations/snapshot/schema.json'))).toEqual(JSON.parse(f.read(`migrations/${id}/schema.json`)))
    const up = f.okra('migrate:up')
    expect(up.code).toBe(0)
    expect(await applied(f)).toEqual(f.migrations())
    expect(f.okra('db:diff', '--exit-code').code).toBe(0)
  })

  it('a generated migration.sql (generateSQL) is not hand-written: migrate:down derives its way back', async () => {
    const f = flow()
    writeFiles(f.root, { 'okra.config.json': JSON.stringify({ database: { provider: f.url.startsWith('postgres') ? 'postgres' : 'sqlite', url: f.url, schemas: ['./models.okra.gql'], migrations: { generateSQL: true } } }) })
    await f.given('db:migrate:snapshot', '--force', '--name', 'init')
    f.schema(V2)
    await f.given('db:migrate:snapshot', '--force', '--name', 'body')
    expect(f.okra('migrate:up').code).toBe(0)
    const down = f.okra('migrate:down', '--force')
    expect(down.code).toBe(0)
    expect(await applied(f)).toHaveLength(1)
  })
})
}
