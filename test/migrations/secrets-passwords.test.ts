/**
 * Passwords of every shape the URL parser accepts (a space, '@', ':', '%', a percent-encoded '#'), typed
 * raw into `.env` as an operator would, through whole okra processes: every command, text and --json, never
 * prints them in any form. A '#' typed raw is no URL at all: the error says so, masked. A malformed `.env`
 * line is reported by file and line, never by its text.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { okraProcessAsync } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeProject } from './project'

const pgdb = await usePgDatabase()

const PASSWORDS = ['pa ss_SECRET1', 'pa@ss_SECRET2', 'pa:ss_SECRET3', 'pa%ss_SECRET4', 'pa%23ss_SECRET5']

/** The test database's URL with `password` written in raw, as typed into .env. */
function rawUrl(password: string): string {
  const url = new URL(pgdb.url)
  return `postgres://${url.username || 'postgres'}:${password}@${url.host}${url.pathname}${url.search}`
}

function project(password: string) {
  const p = makeProject({
    config: { database: { provider: 'postgres', url: '${DATABASE_URL}', schemas: ['./models.okra.gql'] } },
    schema: 'model User {\n  id: Int! @id\n  email: String!\n}\n',
  })
  writeFileSync(join(p.root, '.env'), `DATABASE_URL=${rawUrl(password)}\n`)
  const run = async (argv: string[]) => {
    const result = await okraProcessAsync(argv, { cwd: p.root })
    // The unique part of each password, in any form (raw, encoded, decoded), never shows.
    expect(result.stdout + result.stderr, `okra ${argv.join(' ')}`).not.toContain('SECRET')
    return result
  }
  return { p, run }
}

describe('passwords with a space, @, :, % in .env', () => {
  it('never appear in db:validate and migrate:status --json (the two outputs that leaked)', async () => {
    for (const password of PASSWORDS) {
      const { run } = project(password)
      const validate = await run(['db:validate'])
      expect(validate.code, password).toBe(0)
      expect(validate.stdout).toContain(`connected to postgres://postgres:***@`)
      const status = await run(['migrate:status', '--json'])
      expect(status.code, password).toBe(0)
      expect(JSON.parse(status.stdout).url).toMatch(/^postgres:\/\/postgres:\*\*\*@/)
    }
  })

  it('never appear through every command, text and --json, working or failing', async () => {
    await pgdb.reset()
    const { p, run } = project(PASSWORDS[0]!)
    const codes: Record<string, number | null> = {}
    const each = async (argv: string[]) => (codes[argv.join(' ')] = (await run(argv)).code)
    for (const argv of [['db:validate', '--json'], ['db:sync'], ['db:sync', '--json'], ['db:migrate:snapshot', '--force'], ['migrate:up', '--json'], ['migrate:up']]) await each(argv)
    p.schema('model User {\n  id: Int! @id\n  email: String!\n  name: String\n}\n')
    await each(['db:migrate:snapshot', '--force', '--name', 'broken', '--json'])
    p.write(`migrations/${p.migrations()[1]}/migration.sql`, 'SELECT 1 FROM "no_such_table";\n')
    for (const argv of [['migrate:up'], ['migrate:up', '--json'], ['migrate:status'], ['migrate:down', '--force', '--json'], ['db:reset', '--force'], ['db:reset', '--force', '--json'], ['db:reset', '--force', '--from-schema'], ['db:seed']]) await each(argv)
    // db:reset replays the history, so the broken migration fails it too; --from-schema builds from the schema.
    expect(codes).toMatchObject({ 'db:validate --json': 0, 'db:sync': 0, 'db:migrate:snapshot --force': 0, 'migrate:up': 1, 'migrate:up --json': 1, 'db:reset --force': 1, 'db:reset --force --from-schema': 0 })
  })

  it('a driver error quoting the password (a wrong one, on a server that checks) never shows it', async () => {
    // Trust authentication ignores passwords; a connection refused quotes the URL: both masked.
    const { p, run } = project(PASSWORDS[0]!)
    writeFileSync(join(p.root, '.env'), 'DATABASE_URL=postgres://postgres:pa ss_SECRET1@127.0.0.1:1/db\n')
    for (const argv of [['db:validate', '--json'], ['migrate:up'], ['db:sync', '--json']]) {
      const result = await run(argv)
      expect(result.stdout + result.stderr).toContain('postgres://postgres:***@127.0.0.1:1/db')
    }
  })

  it('a raw # makes no URL: the error says so, masked', async () => {
    const { p, run } = project('pa#ss_SECRET6')
    const result = await run(['migrate:status'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Invalid PostgreSQL URL: postgres://postgres:***@')
    expect(result.stderr).toContain('%23')
    expect(p.root).toBeTruthy()
  })
})

describe('a malformed .env line', () => {
  it('is reported by file and line number, never by its text', async () => {
    const { p } = project(PASSWORDS[0]!)
    writeFileSync(join(p.root, '.env'), 'A=1\nPGPASSWORD hunter2_SECRET\n')
    for (const argv of [['db:validate'], ['migrate:status', '--json'], ['db:sync']]) {
      const result = await okraProcessAsync(argv, { cwd: p.root })
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toContain('.env:2: expected KEY=VALUE')
      expect(result.stdout + result.stderr).not.toContain('hunter2')
    }
  })
})
