/**
 * No password in any output: every migration command, succeeding or failing, in text and in --json, with a
 * URL holding three secrets (user info, `password=`, `sslpassword=`).
 */
import { describe, expect, it } from 'vitest'
import { okra } from '../cli/capture'
import { usePgDatabase } from '../helpers/pg'
import { makeProject } from './project'

const pgdb = await usePgDatabase()
const SECRETS = ['S1zzpw', 'S2zzpw', 'S3zzpw']

/** The URL with the three secrets put in. */
function withSecrets(url: string): string {
  const parsed = new URL(url)
  parsed.username ||= 'postgres'
  parsed.password = SECRETS[0]!
  parsed.searchParams.set('password', SECRETS[1]!)
  parsed.searchParams.set('sslpassword', SECRETS[2]!)
  return parsed.toString()
}

function project(url: string) {
  const p = makeProject({
    config: { database: { provider: 'postgres', url: '${DATABASE_URL}', schemas: ['./models.okra.gql'] } },
    schema: 'model User {\n  id: Int! @id\n  email: String!\n}\n',
  })
  const run = async (argv: string[]) => {
    const result = await okra(argv, { cwd: p.root, env: { DATABASE_URL: url } })
    for (const secret of SECRETS) {
      expect(result.stdout, `okra ${argv.join(' ')}`).not.toContain(secret)
      expect(result.stderr, `okra ${argv.join(' ')}`).not.toContain(secret)
    }
    return result
  }
  return { p, run }
}

const COMMANDS = [
  ['migrate:up'],
  ['migrate:up', '--dry-run'],
  ['migrate:up', '--json'],
  ['migrate:down', '--force'],
  ['migrate:down', '--dry-run', '--json'],
  ['migrate:status'],
  ['migrate:status', '--json'],
  ['migrate:resolve', '--rolled-back', 'x'],
]

describe('secrets in the database URL', () => {
  it('never appear when the connection is refused', async () => {
    const { p, run } = project('postgres://u:S1zzpw@127.0.0.1/db?password=S2zzpw&sslpassword=S3zzpw')
    expect((await run(['db:migrate:snapshot', '--force'])).code).toBe(0)
    const id = p.migrations()[0]!
    p.schema('model User {\n  id: Int! @id\n  email: String!\n  name: String\n}\n')
    for (const argv of [...COMMANDS, ['migrate:resolve', '--applied', id], ['db:migrate:snapshot', '--sync'], ['db:migrate:snapshot', '--sync', '--json']]) {
      const result = await run(argv)
      expect(result.code, argv.join(' ')).toBe(1)
      expect(result.stdout + result.stderr).toContain('postgres://u:***@127.0.0.1/db?password=***&sslpassword=***')
    }
  })

  it('never appear when the commands work, nor when a migration fails', async () => {
    await pgdb.reset()
    const { p, run } = project(withSecrets(pgdb.url))
    expect((await run(['db:migrate:snapshot', '--force'])).code).toBe(0)
    const id = p.migrations()[0]!
    const codes = []
    for (const argv of [...COMMANDS, ['migrate:resolve', '--applied', id], ['migrate:up', '--steps', '1']]) codes.push((await run(argv)).code)
    // All work but resolve --rolled-back of a migration that is not recorded.
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
    p.schema('model User {\n  id: Int! @id\n  email: String!\n  name: String\n}\n')
    expect((await run(['db:migrate:snapshot', '--force', '--name', 'broken'])).code).toBe(0)
    p.write(`migrations/${p.migrations()[1]}/migration.sql`, 'SELECT 1 FROM "no_such_table";\n')
    const failed = await run(['migrate:up'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('no_such_table')
    expect((await run(['migrate:up', '--json'])).code).toBe(1)
    expect((await run(['migrate:status', '--json'])).code).toBe(0)
  })
})
