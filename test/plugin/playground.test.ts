/**
 * The playground's consumers compile against what OKRA generates from the playground's schema:
 * the Vite app's TypeScript through okra.d.ts (`import type { User } from 'virtual:okra/models'`,
 * under `tsc --strict`), the Go program against models/models.go, the Python one against models.py.
 * The playground is copied first, so the repository's folder is never written to.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../src/commands/build'
import { generate } from '../../src/project/outputs'
import { run } from '../codegen/toolchains'

const PLAYGROUND = join(import.meta.dirname, '..', '..', 'playground')
const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin')
const COPIED = ['models.okra.gql', 'okra.config.json', 'migrations', 'tsconfig.json', 'src/main.ts', 'go/go.mod', 'go/main.go', 'python/main.py', 'python/pyrightconfig.json']

let root: string
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'okra-playground-'))
  for (const path of COPIED) cpSync(join(PLAYGROUND, path), join(root, path), { recursive: true })
  // What the plugin does when the playground starts: the types of every target and okra.d.ts; the committed snapshot matches.
  const report = await build({ cwd: root, processEnv: {} })
  expect(report.drift?.drifted).toBe(false)
  expect(report.written.sort()).toEqual(['go/models/models.go', 'okra.d.ts', 'python/models.py', 'src/generated/models.ts'])
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('the playground consumers', () => {
  it('the Vite app passes tsc --strict through okra.d.ts, and misuse of the types fails it', () => {
    writeFileSync(
      join(root, 'src', 'misuse.ts'),
      [
        "import { Role } from 'virtual:okra/models'",
        "import type { User } from 'virtual:okra/models'",
        "export const role: Role = 'OWNER'",
        "export const user: User = { id: 'u1', email: 'a@b.c', name: 'A', role: Role.GUEST }",
        '',
      ].join('\n'),
    )
    const tsc = run(join(BIN, 'tsc'), ['-p', join(root, 'tsconfig.json'), '--pretty', 'false'], root)
    const errors = tsc.output.split('\n').filter((line) => /error TS\d+/.test(line))
    expect(errors.filter((line) => !line.startsWith('src/misuse.ts')), tsc.output).toEqual([])
    expect(errors).toHaveLength(2)
    expect(errors[0]).toContain(`Type '"OWNER"' is not assignable to type 'Role'`)
    expect(errors[1]).toContain("Property 'createdAt' is missing")
  })

  it('the Go program builds, passes go vet and runs', () => {
    const env = { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOWORK: 'off', GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOCACHE: join(tmpdir(), 'okra-test-gocache') }
    const vet = run('go', ['vet', './...'], join(root, 'go'), env)
    expect(vet.code, vet.output).toBe(0)
    const program = run('go', ['run', '.'], join(root, 'go'), env)
    expect(program.code, program.output).toBe(0)
    expect(program.output).toContain('"role": "EDITOR"')
    expect(program.output).toContain('"authorId": "6f1c2e1a-0000-4000-8000-000000000001"')
  })

  it('the Python program passes pyright --strict and runs', () => {
    const pyright = run(join(BIN, 'pyright'), ['-p', join(root, 'python', 'pyrightconfig.json')], join(root, 'python'))
    expect(pyright.code, pyright.output).toBe(0)
    const program = run('python3', ['main.py'], join(root, 'python'), { PYTHONDONTWRITEBYTECODE: '1' })
    expect(program.code, program.output).toBe(0)
    expect(program.output).toContain('"role": "EDITOR"')
    expect(program.output).toContain('"author_id": "6f1c2e1a-0000-4000-8000-000000000001"')
  })

  it('`okra models:generate` writes the same files (what the Go and Python folks run without a bundler)', async () => {
    const again = await generate({ cwd: root, processEnv: {} })
    expect(again.files.map((f) => [f.path, f.written])).toEqual([
      ['src/generated/models.ts', false],
      ['go/models/models.go', false],
      ['python/models.py', false],
    ])
  })
})
