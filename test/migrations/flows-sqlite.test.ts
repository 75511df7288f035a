/** The everyday flows of issue 11 on SQLite (the suite is flows.ts), and the commands that need no database. */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MIGRATION_ID } from '../../src/migrations/folders'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { flowSuite } from './flows'

const V1 = 'model Note {\n  id: Int! @id @default(autoincrement)\n  title: String!\n}\n'

flowSuite({ name: 'SQLite', url: (root) => `sqlite://${join(root, 'dev.db')}`, reset: async () => undefined })

describe('db:migrate:generate and the compatibility warnings', () => {
  it('db:migrate:generate is another name for db:migrate:snapshot', async () => {
    const root = makeTempDir('okra-flows-')
    writeFiles(root, { 'okra.config.json': JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./models.okra.gql'] } }), 'models.okra.gql': V1 })
    const r = okraProcess(['db:migrate:generate', '--force', '--name', 'init'], { cwd: root })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/✓ Wrote migrations\/\d{8}_\d{6}_init\/ \(migration\.json, schema\.json\)/)
    expect(okraProcess(['--help'], { cwd: root }).stdout).toMatch(/db:migrate:snapshot, migrate:snapshot, db:migrate:generate, migrate:generate|db:migrate:snapshot, db:migrate:generate, migrate:generate, migrate:snapshot/)
    expect(okraProcess(['--help'], { cwd: root }).stdout).toContain('db:migrate:create')
  })

  it('db:migrate:create prints the compatibility warnings when environments use different providers, and writes one SQL file per provider', async () => {
    const root = makeTempDir('okra-flows-')
    writeFiles(root, {
      'okra.config.json': JSON.stringify({
        database: {
          schemas: ['./models.okra.gql'],
          environments: { local: { provider: 'sqlite', url: 'sqlite://./dev.db' }, production: { provider: 'postgres', url: '${DATABASE_URL}' } },
        },
      }),
      'models.okra.gql': 'model Post {\n  id: Int! @id @default(autoincrement)\n  body: JSON\n}\n',
    })
    const r = okraProcess(['db:migrate:create', '--force', '--name', 'posts'], { cwd: root })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('warning: JSON fields behave differently on PostgreSQL and SQLite (Post.body)')
    expect(r.stdout).toMatch(/\(migration\.json, migration\.postgres\.sql, migration\.sqlite\.sql, schema\.json/)
    const dir = readdirSync(join(root, 'migrations')).find((n) => MIGRATION_ID.test(n))!
    expect(readFileSync(join(root, 'migrations', dir, 'migration.postgres.sql'), 'utf8')).toContain('JSONB')
    // A data-only migration: one migration.sql for both providers.
    const data = okraProcess(['db:migrate:create', '--force', '--name', 'backfill'], { cwd: root })
    expect(data.code).toBe(0)
    expect(data.stdout).toMatch(/_backfill\/ \(migration\.json, migration\.sql, schema\.json/)
    expect(existsSync(join(root, 'migrations', dir, 'schema.json'))).toBe(true)
  })
})
