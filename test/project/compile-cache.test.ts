import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { syntheticSources } from '../../bench/lib/synthetic.mjs'
import { compileCached } from '../../src/project/compile-cache'
import { compileSchema } from '../../src/schema/compile'
import { okraProcess } from '../helpers/okra-process'
import { useTempDir, writeFiles } from '../helpers/tmp'

const CACHE = '.okra/cache/schema.json'

const USER = 'model User {\n  id: ID! @default(uuid)\n  email: String! @unique\n}\n'
const POST = 'model Post {\n  id: ID! @default(uuid)\n  title: String!\n}\n'

function project(root: string): void {
  writeFiles(root, {
    'okra.config.json': JSON.stringify({
      database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./schema/*.okra.gql'] },
      generate: { typescript: { out: './gen/models.ts' } },
    }),
    'schema/user.okra.gql': USER,
    'schema/post.okra.gql': POST,
  })
}

function generate(root: string): string {
  const run = okraProcess(['models:generate'], { cwd: root })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return readFileSync(join(root, 'gen/models.ts'), 'utf8')
}

describe('the compiled-schema cache (.okra/cache/schema.json), through the okra CLI', () => {
  const dir = useTempDir('okra-compile-cache-')

  it('is written after a clean compile, in a folder git ignores, and used while every schema file is unchanged', () => {
    project(dir.path)
    expect(generate(dir.path)).toContain('email: string')
    const entry = JSON.parse(readFileSync(join(dir.path, CACHE), 'utf8'))
    // What it was compiled from: the build, Node, each file's path and length, and the whole texts.
    expect(entry.node).toBe(process.version)
    expect(entry.files).toEqual(expect.arrayContaining([[expect.stringMatching(/user\.okra\.gql$/), USER.length]]))
    expect(entry.texts).toEqual(expect.arrayContaining([USER, POST]))
    expect(entry.schema.models.map((m: { name: string }) => m.name).sort()).toEqual(['Post', 'User'])
    expect(readFileSync(join(dir.path, '.okra/cache/.gitignore'), 'utf8')).toContain('*')
    // An entry for these very files is used as it is: a field renamed in its schema alone shows in the types.
    const good = readFileSync(join(dir.path, CACHE), 'utf8')
    writeFileSync(join(dir.path, CACHE), good.replace(/"schema":.*$/, (rest) => rest.replaceAll('"email"', '"emailFromCache"')))
    expect(generate(dir.path)).toContain('emailFromCache: string')
  })

  it('is not used once a schema file changed: the edited schema is compiled and the entry replaced', () => {
    project(dir.path)
    generate(dir.path)
    const post = POST.replace('title: String!', 'title: String!\n  body: String?')
    writeFileSync(join(dir.path, 'schema/post.okra.gql'), post)
    expect(generate(dir.path)).toContain('body?: string | null')
    const after = JSON.parse(readFileSync(join(dir.path, CACHE), 'utf8'))
    expect(after.texts).toEqual(expect.arrayContaining([USER, post]))
    expect(JSON.stringify(after.schema)).toContain('"body"')
  })

  it('is not used when a schema file changed but kept its length: texts are compared whole', () => {
    project(dir.path)
    generate(dir.path)
    const post = POST.replace('title: String!', 'tItle: String!')
    expect(post.length).toBe(POST.length)
    writeFileSync(join(dir.path, 'schema/post.okra.gql'), post)
    expect(generate(dir.path)).toContain('tItle: string')
  })

  it('is not used once a schema file is deleted', () => {
    project(dir.path)
    generate(dir.path)
    rmSync(join(dir.path, 'schema/post.okra.gql'))
    const types = generate(dir.path)
    expect(types).toContain('User')
    expect(types).not.toContain('Post')
  })

  it('recovers from a deleted, damaged or hand-edited entry by compiling again', () => {
    project(dir.path)
    const clean = generate(dir.path)
    const file = join(dir.path, CACHE)
    const good = readFileSync(file, 'utf8')

    rmSync(file)
    expect(generate(dir.path)).toBe(clean)
    expect(readFileSync(file, 'utf8')).toBe(good)

    // Truncated (a crash while writing, a full disk): the right key, then broken JSON.
    writeFileSync(file, good.slice(0, good.length / 2))
    expect(generate(dir.path)).toBe(clean)
    expect(readFileSync(file, 'utf8')).toBe(good)

    // Not JSON at all.
    writeFileSync(file, 'garbage')
    expect(generate(dir.path)).toBe(clean)
    expect(readFileSync(file, 'utf8')).toBe(good)

    // The right files over something that is not a schema.
    writeFileSync(file, good.replace(/"schema":.*$/, '"schema":{"models":"no"}}'))
    expect(generate(dir.path)).toBe(clean)

    // Written by another OKRA build, or under another Node version: never read.
    for (const other of [good.replace('"build":"', '"build":"other'), good.replace(`"node":"${process.version}"`, '"node":"v0.0.0"')]) {
      writeFileSync(file, other.replace(/"schema":.*$/, (rest) => rest.replaceAll('"email"', '"stale"')))
      expect(generate(dir.path)).toBe(clean)
    }
  })

  it('keeps no schema that has diagnostics: an error is reported on every run', () => {
    project(dir.path)
    writeFileSync(join(dir.path, 'schema/post.okra.gql'), 'model Post {\n  id: ID! @default(uuid)\n  title: Strin!\n}\n')
    for (let i = 0; i < 2; i++) {
      const run = okraProcess(['models:generate'], { cwd: dir.path })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('Strin')
    }
    expect(existsSync(join(dir.path, CACHE))).toBe(false)
  })
})

describe('compileCached', () => {
  const dir = useTempDir('okra-compile-cache-unit-')

  it('gives from the cache exactly what compileSchema gives (a 250-model schema in 3 files)', async () => {
    const sources = syntheticSources(250, { modelsPerFile: 100 })
    const fresh = compileSchema(sources)
    expect(fresh.diagnostics).toEqual([])
    expect(await compileCached(dir.path, sources)).toStrictEqual(fresh)
    expect(existsSync(join(dir.path, CACHE))).toBe(true)
    // The second call reads the entry (a changed entry proves it), and what it reads equals a fresh compile.
    const hit = await compileCached(dir.path, sources)
    expect(hit).toStrictEqual(fresh)
    writeFileSync(join(dir.path, CACHE), readFileSync(join(dir.path, CACHE), 'utf8').replace('"models":[', '"models":[{"name":"FromCache","fields":[]},'))
    expect((await compileCached(dir.path, sources)).schema?.models[0]?.name).toBe('FromCache')
  })
})
