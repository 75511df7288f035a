import { describe, expect, it } from 'vitest'
import { command } from '../../src/commands/validate'
import { validate } from '../../src/project/validate'
import { warning } from '../../src/language/diagnostics'
import { createTerminal } from '../../src/terminal'
import { OkraError } from '../../src/errors'
import { configJSON, projectDir } from '../config/project-dir'
import { ESCAPE, capture, okra } from './capture'

const VALID = `
model User {
  id: ID! @default(uuid)
  email: String! @unique
  role: Role!
}

model Post {
  id: ID! @default(uuid)
  title: String!
}

enum Role { ADMIN USER }
`

const BROKEN = `model User {
  id: ID!
  name: Strin!
}
`

describe('db:validate', () => {
  it('a valid schema: counts models, enums and files, exit 0', async () => {
    const cwd = projectDir({ 'models.okra.gql': VALID })
    expect(await okra(['db:validate'], { cwd })).toEqual({ code: 0, stdout: '✓ 2 models, 1 enum in 1 file\n', stderr: '' })
  })

  it('reads every file the schemas globs name, together', async () => {
    const cwd = projectDir({
      'okra.config.json': configJSON({ database: { schemas: ['models/*.okra.gql'] } }),
      'models/user.okra.gql': 'model User { id: ID!  posts: [Post!]! }\n',
      'models/post.okra.gql': 'model Post { id: ID!  authorId: ID!  author: User! @relation(fields: [authorId], references: [id]) }\n',
    })
    const { code, stdout } = await okra(['db:validate'], { cwd })
    expect(code).toBe(0)
    expect(stdout).toBe('✓ 2 models, 0 enums in 2 files\n')
  })

  it('errors: every diagnostic with its location, the count, exit 1', async () => {
    const cwd = projectDir({ 'models.okra.gql': BROKEN })
    const { code, stdout, stderr } = await okra(['db:validate'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    const lines = stderr.split('\n')
    expect(lines[0]).toMatch(/^models\.okra\.gql:3:9: error: /)
    expect(lines[1]).toBe('  3 |   name: Strin!')
    expect(lines[2]).toBe('    |         ^^^^^')
    expect(lines.at(-2)).toBe('✗ 1 error in 1 file')
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('--json: ok, files, diagnostics, models, enums', async () => {
    const broken = await okra(['db:validate', '--json'], { cwd: projectDir({ 'models.okra.gql': BROKEN }) })
    expect(broken.code).toBe(1)
    const json = JSON.parse(broken.stdout)
    expect(json).toMatchObject({ ok: false, files: ['models.okra.gql'], models: null, enums: null, database: null })
    expect(json.diagnostics).toHaveLength(1)
    expect(json.diagnostics[0]).toMatchObject({ severity: 'error', file: 'models.okra.gql', line: 3, column: 9 })
    expect(Object.keys(json.diagnostics[0]).sort()).toEqual(['column', 'file', 'hint', 'line', 'message', 'severity'])

    const valid = await okra(['db:validate', '--json'], { cwd: projectDir({ 'models.okra.gql': VALID }) })
    expect(valid.code).toBe(0)
    expect(JSON.parse(valid.stdout)).toEqual({ ok: true, files: ['models.okra.gql'], diagnostics: [], models: 2, enums: 1, database: null, compatibility: [] })
  })

  it('colours only on a terminal without NO_COLOR', async () => {
    const cwd = projectDir({ 'models.okra.gql': BROKEN })
    expect((await okra(['db:validate'], { cwd, tty: true })).stderr).toMatch(ESCAPE)
    const noColor = await okra(['db:validate'], { cwd, tty: true, env: { NO_COLOR: '1' } })
    expect(noColor.stderr + noColor.stdout).not.toMatch(ESCAPE)
    const piped = await okra(['db:validate'], { cwd })
    expect(piped.stderr + piped.stdout).not.toMatch(ESCAPE)
  })

  it('no schema file: tells to run okra init', async () => {
    const { code, stderr } = await okra(['db:validate'], { cwd: projectDir() })
    expect(code).toBe(1)
    expect(stderr).toBe(
      'error: No schema file found (looked for **/*.okra.gql)\n' +
        'hint: Run `okra init` to create models.okra.gql and okra.config.json, or point database.schemas at your *.okra.gql files.\n',
    )
  })

  it('a schema file named in the config that does not exist is an error', async () => {
    const cwd = projectDir({
      'okra.config.json': configJSON({ database: { schemas: ['models.okra.gql', 'extra.okra.gql'] } }),
      'models.okra.gql': VALID,
    })
    const { code, stderr } = await okra(['db:validate'], { cwd })
    expect(code).toBe(1)
    expect(stderr.split('\n')[0]).toBe('error: Schema file not found: extra.okra.gql (listed in database.schemas)')
  })
})

describe('validate() and its connection step', () => {
  it('runs the injected connection check with the resolved database and reports it masked', async () => {
    const cwd = projectDir({
      'okra.config.json': configJSON({ database: { url: 'postgres://u:S1@db.internal/app' } }),
      'models.okra.gql': VALID,
    })
    const seen: string[] = []
    const ok = await validate({ cwd, processEnv: {}, connect: async (database) => (seen.push(database.url), 'PostgreSQL 16') })
    expect(seen).toEqual(['postgres://u:S1@db.internal/app'])
    expect(ok.database).toEqual({ url: 'postgres://u:***@db.internal/app', connected: true, message: 'PostgreSQL 16' })
    expect(ok.ok).toBe(true)

    const refused = await validate({
      cwd,
      processEnv: {},
      connect: async () => {
        throw new OkraError('connection refused by postgres://u:S1@db.internal/app')
      },
    })
    expect(refused.ok).toBe(false)
    expect(refused.database).toEqual({ url: 'postgres://u:***@db.internal/app', connected: false, message: 'connection refused by postgres://u:***@db.internal/app' })
  })
})

describe('warnings', () => {
  it('are printed with their location and counted, and do not fail validation', () => {
    const source = { path: 'models.okra.gql', text: 'model User {\n  id: ID! @renamed(from: "uid")\n}\n' }
    const stale = warning({ source, start: 23, end: 44 }, "Field 'uid' does not exist anywhere", 'Remove the @renamed hint.')
    const stdout = capture()
    const stderr = capture()
    const result = { ok: true, files: ['models.okra.gql'], diagnostics: [stale], errors: 0, warnings: 1, models: 1, enums: 0, database: null, compatibility: [] }
    command.printText(result, createTerminal({ stdout, stderr, stdinIsTTY: false, env: {} }))
    expect(stdout.text).toBe('✓ 1 model, 0 enums in 1 file (1 warning)\n')
    expect(stderr.text).toBe(
      [
        "models.okra.gql:2:11: warning: Field 'uid' does not exist anywhere",
        '  2 |   id: ID! @renamed(from: "uid")',
        '    |           ^^^^^^^^^^^^^^^^^^^^^',
        '  hint: Remove the @renamed hint.',
        '',
        '',
      ].join('\n'),
    )
    expect(command.exitCode!(result)).toBe(0)
  })
})
