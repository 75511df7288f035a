import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { init } from '../../src/project/init'
import { loadConfig } from '../../src/config/load'
import { projectDir } from '../config/project-dir'
import { okra } from './capture'
import { okraProcess } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'

const pgdb = await usePgDatabase()

describe('init', () => {
  it('creates the config, the example schema, migrations/ and the .gitignore block', async () => {
    const root = projectDir()
    expect(await init({ cwd: root })).toEqual({
      root,
      provider: 'sqlite',
      created: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'],
      updated: [],
      skipped: [],
      ignored: ['dev.db', 'dev.db-wal', 'dev.db-shm', '.okra/', 'migrations/current/', 'okra.d.ts'],
    })
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('# OKRA: the dev database, local state and generated files (okra init)\ndev.db\ndev.db-wal\ndev.db-shm\n.okra/\nmigrations/current/\nokra.d.ts\n')
    expect(existsSync(join(root, 'migrations/snapshot'))).toBe(false)
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toMatch(/^# Your data model\./)
    // The config it writes is valid and means what zero configuration means.
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.database).toMatchObject({ provider: 'sqlite', url: `sqlite://${join(root, 'dev.db')}`, schemas: ['./models.okra.gql'] })
    expect(config.generate).toEqual({ typescript: { out: join(root, 'generated/models.ts') } })
    expect((await loadConfig({ cwd: root, env: 'test', processEnv: {} })).database.url).toBe('sqlite://:memory:')
  })

  it('never overwrites, and adds to .gitignore only the lines it lacks, once', async () => {
    const ignores = 'node_modules\n/migrations/current\ndev.db\n/.okra\nokra.d.ts\n'
    const root = projectDir({ 'models.okra.gql': 'model Mine { id: ID! }\n', '.gitignore': ignores })
    const first = await init({ cwd: root })
    expect(first).toMatchObject({ updated: ['.gitignore'], ignored: ['dev.db-wal', 'dev.db-shm'] })
    expect(first.skipped).toEqual(['models.okra.gql'])
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toBe('model Mine { id: ID! }\n')
    const second = await init({ cwd: root })
    expect(second).toMatchObject({ created: [], updated: [], skipped: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'], ignored: [] })
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe(`${ignores}# OKRA: the dev database, local state and generated files (okra init)\ndev.db-wal\ndev.db-shm\n`)
  })

  it('appends the block to a .gitignore without a final newline', async () => {
    const root = projectDir({ '.gitignore': 'node_modules' })
    expect((await init({ cwd: root })).updated).toEqual(['.gitignore'])
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n' + '# OKRA: the dev database, local state and generated files (okra init)\ndev.db\ndev.db-wal\ndev.db-shm\n.okra/\nmigrations/current/\nokra.d.ts\n')
  })

  it('prints what it created and skipped; --json lists them', async () => {
    const root = projectDir({ 'okra.config.json': '{}' })
    writeFileSync(join(root, '.gitignore'), 'dist/\n')
    const text = await okra(['db:init'], { cwd: root })
    expect(text.code).toBe(0)
    expect(text.stdout).toBe(
      [
        'created models.okra.gql',
        'created migrations/',
        'updated .gitignore (added dev.db, dev.db-wal, dev.db-shm, .okra/, migrations/current/, okra.d.ts)',
        'skipped okra.config.json (already exists)',
        '',
        'Next: describe your data in models.okra.gql, then run `okra models:generate`.',
        '',
      ].join('\n'),
    )
    const json = await okra(['init', '--json'], { cwd: root })
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      root,
      provider: 'sqlite',
      created: [],
      updated: [],
      skipped: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'],
      ignored: [],
    })
  })
})

describe('okra init, the built CLI in a git repository', () => {
  function git(root: string, ...args: string[]): string {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    return r.stdout
  }

  it('SQLite at a chosen path: after sync, types and a build, git sees only what belongs in the repository', () => {
    const root = projectDir()
    git(root, 'init', '-q')
    const r = okraProcess(['init', '--url', 'sqlite://./data/app.db'], { cwd: root })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('created .gitignore (added data/app.db, data/app.db-wal, data/app.db-shm, .okra/, migrations/current/, okra.d.ts)')
    expect(JSON.parse(readFileSync(join(root, 'okra.config.json'), 'utf8')).database).toMatchObject({ provider: 'sqlite', url: 'sqlite://./data/app.db' })
    expect(okraProcess(['db:sync'], { cwd: root }).code).toBe(0)
    expect(okraProcess(['db:migrate:snapshot', '--force'], { cwd: root }).code).toBe(0)
    expect(okraProcess(['build'], { cwd: root }).code).toBe(0)
    expect(existsSync(join(root, 'data/app.db'))).toBe(true)
    expect(existsSync(join(root, 'okra.d.ts'))).toBe(true)
    const untracked = git(root, 'status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).map((l) => l.slice(3)).sort()
    expect(untracked.map((f) => f.replace(/\d{8}_\d{6}/, 'ID'))).toEqual([
      '.gitignore',
      'generated/models.ts',
      'migrations/ID/migration.json',
      'migrations/ID/schema.json',
      'migrations/snapshot/schema.json',
      'models.okra.gql',
      'okra.config.json',
    ])
  })

  it('PostgreSQL with a URL: the URL goes into .env (ignored), never printed with its password, and db:sync connects', async () => {
    const root = projectDir()
    const url = new URL(pgdb.url)
    const withPassword = `postgres://${url.username || 'postgres'}:s3cr%40t@${url.host}${url.pathname}`
    const r = okraProcess(['init', '--provider', 'postgres', '--url', withPassword], { cwd: root })
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr).not.toContain('s3cr')
    expect(r.stdout).toContain(`created .env (added DATABASE_URL=postgres://${url.username || 'postgres'}:***@${url.host}${url.pathname})`)
    expect(r.stdout).toContain('created .gitignore (added .okra/, migrations/current/, okra.d.ts, .env)')
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe(`DATABASE_URL=${withPassword}\n`)
    expect(JSON.parse(readFileSync(join(root, 'okra.config.json'), 'utf8')).database).toMatchObject({ provider: 'postgres', url: '${DATABASE_URL}' })
    // The test server trusts every password: the URL from .env is the one used.
    const sync = okraProcess(['db:sync'], { cwd: root })
    expect(sync.stdout + sync.stderr).not.toContain('s3cr')
    expect(sync.code).toBe(0)
    expect(sync.stdout).toContain("+ Added model 'User'")
  })

  it('refuses an unknown provider, and a URL of the other provider', () => {
    const root = projectDir()
    expect(okraProcess(['init', '--provider', 'mysql'], { cwd: root })).toMatchObject({ code: 64, stderr: expect.stringContaining('--provider must be sqlite or postgres') })
    expect(okraProcess(['init', '--provider', 'sqlite', '--url', 'postgres://h/db'], { cwd: root })).toMatchObject({ code: 64, stderr: expect.stringContaining('--url is a postgres URL but --provider is sqlite') })
    expect(existsSync(join(root, 'okra.config.json'))).toBe(false)
  })
})
