import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { init } from '../../src/project/init'
import { loadConfig } from '../../src/config/load'
import { projectDir } from '../config/project-dir'
import { okra } from './capture'

describe('init', () => {
  it('creates the config, the example schema, migrations/ and the .gitignore line', async () => {
    const root = projectDir()
    expect(await init({ cwd: root })).toEqual({
      root,
      created: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'],
      updated: [],
      skipped: [],
    })
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('migrations/current/\n')
    expect(existsSync(join(root, 'migrations/snapshot'))).toBe(false)
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toMatch(/^# Your data model\./)
    // The config it writes is valid and means what zero configuration means.
    const config = await loadConfig({ cwd: root, processEnv: {} })
    expect(config.database).toMatchObject({ provider: 'sqlite', url: `sqlite://${join(root, 'dev.db')}`, schemas: ['./models.okra.gql'] })
    expect(config.generate).toEqual({ typescript: { out: join(root, 'generated/models.ts') } })
    expect((await loadConfig({ cwd: root, env: 'test', processEnv: {} })).database.url).toBe('sqlite://:memory:')
  })

  it('never overwrites, and never duplicates the .gitignore line', async () => {
    const root = projectDir({ 'models.okra.gql': 'model Mine { id: ID! }\n', '.gitignore': 'node_modules\n/migrations/current' })
    const first = await init({ cwd: root })
    expect(first.skipped).toEqual(['models.okra.gql', '.gitignore'])
    expect(readFileSync(join(root, 'models.okra.gql'), 'utf8')).toBe('model Mine { id: ID! }\n')
    const second = await init({ cwd: root })
    expect(second).toMatchObject({ created: [], updated: [], skipped: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'] })
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n/migrations/current')
  })

  it('appends the line to a .gitignore without a final newline', async () => {
    const root = projectDir({ '.gitignore': 'node_modules' })
    expect((await init({ cwd: root })).updated).toEqual(['.gitignore'])
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\nmigrations/current/\n')
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
        'updated .gitignore (added migrations/current/)',
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
      created: [],
      updated: [],
      skipped: ['okra.config.json', 'models.okra.gql', 'migrations/', '.gitignore'],
    })
  })
})
