import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configJSON, projectDir } from '../config/project-dir'
import { okra } from './capture'

const SCHEMA = `
"""A person."""
model User {
  id: ID! @default(uuid)
  email: String! @unique
  role: Role!
}

enum Role { ADMIN USER }
`

describe('models:generate', () => {
  it('zero configuration: writes generated/models.ts, then leaves it unchanged', async () => {
    const cwd = projectDir({ 'models.okra.gql': SCHEMA })
    expect(await okra(['models:generate'], { cwd })).toEqual({ code: 0, stdout: 'written   generated/models.ts\n', stderr: '' })
    const content = readFileSync(join(cwd, 'generated/models.ts'), 'utf8')
    expect(content).toContain('export interface User')
    expect(content).toContain('models.okra.gql')
    expect(await okra(['models:generate'], { cwd })).toEqual({ code: 0, stdout: 'unchanged generated/models.ts\n', stderr: '' })
    expect(readFileSync(join(cwd, 'generated/models.ts'), 'utf8')).toBe(content)
  })

  it('writes every configured target; --json lists them with their status', async () => {
    const cwd = projectDir({
      'models.okra.gql': SCHEMA,
      'okra.config.json': configJSON({
        generate: {
          typescript: { out: './src/models.ts' },
          go: { out: './internal/store/models.go' },
          python: { out: './py/models.py' },
          graphql: { out: './schema.graphql' },
        },
      }),
    })
    const { code, stdout } = await okra(['models:generate', '--json'], { cwd })
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      files: [
        { target: 'typescript', path: 'src/models.ts', status: 'written' },
        { target: 'go', path: 'internal/store/models.go', status: 'written' },
        { target: 'python', path: 'py/models.py', status: 'written' },
        { target: 'graphql', path: 'schema.graphql', status: 'written' },
      ],
      warnings: [],
    })
    expect(readFileSync(join(cwd, 'internal/store/models.go'), 'utf8')).toMatch(/^package store$/m)
    expect(readFileSync(join(cwd, 'py/models.py'), 'utf8')).toContain('class User')
    expect(readFileSync(join(cwd, 'schema.graphql'), 'utf8')).toContain('type User')
  })

  it('a schema error writes nothing: diagnostics, the count, exit 1', async () => {
    const cwd = projectDir({ 'models.okra.gql': 'model User {\n  id: ID!\n  name: Strin!\n}\n' })
    const { code, stdout, stderr } = await okra(['models:generate'], { cwd })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^models\.okra\.gql:3:9: error: /)
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('error: Schema has 1 error')
    expect(existsSync(join(cwd, 'generated'))).toBe(false)
  })

  it('with --json a schema error is one document with the diagnostics', async () => {
    const cwd = projectDir({ 'models.okra.gql': 'model User {\n  id: ID!\n  name: Strin!\n}\n' })
    const { code, stdout } = await okra(['models:generate', '--json'], { cwd })
    expect(code).toBe(1)
    const { error } = JSON.parse(stdout)
    expect(error).toMatchObject({ name: 'SchemaError', message: 'Schema has 1 error' })
    expect(error.diagnostics[0]).toMatchObject({ file: 'models.okra.gql', line: 3, column: 9, severity: 'error' })
  })

  it('an unexpected failure is reported as a bug, with the stack only under OKRA_DEBUG=1', async () => {
    const cwd = projectDir({ 'models.okra.gql': SCHEMA })
    mkdirSync(join(cwd, 'generated/models.ts'), { recursive: true }) // a directory where the output file goes
    const plain = await okra(['models:generate'], { cwd })
    expect(plain.code).toBe(1)
    expect(plain.stderr).toMatch(/^error: .*EISDIR/)
    expect(plain.stderr).toContain('\nthis is a bug in okra, please report it\n')
    expect(plain.stderr).not.toMatch(/\n\s+at /)
    const debug = await okra(['models:generate'], { cwd, env: { OKRA_DEBUG: '1' } })
    expect(debug.stderr).toMatch(/\n\s+at /)
  })
})
