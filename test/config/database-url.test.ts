/**
 * Commands that only compare or write files run without production's database URL (in CI it is often
 * not set); commands that connect still say plainly which variable is missing, and where it is used.
 */
import { describe, expect, it } from 'vitest'
import { okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

function project(): string {
  const root = makeTempDir('okra-url-')
  writeFiles(root, {
    'okra.config.json': JSON.stringify({
      database: {
        schemas: ['./models.okra.gql'],
        environments: {
          local: { provider: 'sqlite', url: 'sqlite://./dev.db' },
          production: { provider: 'postgres', url: '${DATABASE_URL}' },
        },
      },
    }),
    'models.okra.gql': 'model User {\n  id: ID! @default(uuid)\n  email: String! @unique\n}\n',
  })
  return root
}

describe('production without DATABASE_URL', () => {
  it('db:diff --sql, models:generate, db:migrate:snapshot --force and okra build need no URL', () => {
    const root = project()
    const diff = okraProcess(['db:diff', '--sql', '--env', 'production'], { cwd: root })
    expect(diff.stderr).not.toContain('DATABASE_URL')
    expect(diff.code).toBe(0)
    expect(diff.stdout).toContain('CREATE TABLE "users"')
    expect(diff.stdout).toContain('"id" UUID NOT NULL DEFAULT gen_random_uuid()')
    expect(okraProcess(['models:generate', '--env', 'production'], { cwd: root })).toMatchObject({ code: 0 })
    expect(okraProcess(['db:migrate:snapshot', '--force', '--env', 'production'], { cwd: root })).toMatchObject({ code: 0 })
    expect(okraProcess(['build', '--env', 'production'], { cwd: root })).toMatchObject({ code: 0, stderr: '' })
  })

  it('a command that connects names the variable and the key that uses it', () => {
    const root = project()
    for (const command of [['db:sync'], ['migrate:status'], ['migrate:up']]) {
      const r = okraProcess([...command, '--env', 'production'], { cwd: root })
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('database.environments.production.url: environment variable DATABASE_URL is not set')
    }
  })
})
