/**
 * The built `okra` program, spawned as users run it. Built with the project's own tsup options for the
 * program (src/bin.ts), the CLI bundle (src/cli.ts) and the pg bundle, into a temporary directory (with package.json next
 * to dist/, as in the published package), so the test never depends on, or disturbs, a dist/ from another
 * build. Each run gets a temporary directory of its own (TMPDIR), where the program keeps its code cache.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tsupConfig from '../../tsup.config'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const packageDir = mkdtempSync(join(tmpdir(), 'okra-bin-'))
const okra = join(packageDir, 'dist/okra.cjs')
const temp = join(packageDir, 'tmp')
const cacheDir = join(temp, `okra-${process.getuid?.() ?? 'user'}`)
// Loaded before the program: records every package it loads, written out when the process ends.
const recorder = join(packageDir, 'record-packages.cjs')

beforeAll(async () => {
  const configs = ([tsupConfig].flat(2) as Exclude<typeof tsupConfig, (...args: never[]) => unknown>[]).flat()
  for (const name of ['cli', 'pg', 'okra']) {
    const options = configs.find((c) => typeof c.entry === 'object' && !Array.isArray(c.entry) && name in c.entry)
    expect(options, `the tsup options that build dist/${name}.cjs`).toBeDefined()
    const entry = (options!.entry as Record<string, string>)[name]
    await build({ ...options, entry: { [name]: join(repo, entry) }, outDir: join(packageDir, 'dist'), config: false, silent: true, dts: false })
  }
  copyFileSync(join(repo, 'package.json'), join(packageDir, 'package.json'))
  // The packages the CLI requires resolve from the repository, as an installed package's would from node_modules.
  symlinkSync(join(repo, 'node_modules'), join(packageDir, 'node_modules'), 'dir')
  mkdirSync(temp)
  writeFileSync(
    recorder,
    `const Module = require('node:module')
const load = Module._load
const seen = new Set()
Module._load = function (request, ...rest) {
  if (!request.startsWith('node:') && !request.startsWith('.') && !request.startsWith('/') && !Module.isBuiltin(request)) seen.add(request)
  return load.call(this, request, ...rest)
}
// The CLI bundle has the database packages' JavaScript in it (src/dialects/packages.ts), so they are not required:
// better-sqlite3 shows by its native addon, pg by Node's dns module, which pg loads and nothing else in OKRA does.
const dlopen = process.dlopen
process.dlopen = function (module, file, ...rest) {
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)
  if (match) seen.add(match[1])
  return dlopen.call(this, module, file, ...rest)
}
process.on('exit', () => {
  if (process.moduleLoadList.includes('NativeModule dns')) seen.add('pg')
  if (process.moduleLoadList.includes('NativeModule crypto')) seen.add('node:crypto')
  require('node:fs').writeFileSync(process.env.RECORD_PACKAGES, [...seen].join('\\n'))
})
`,
  )
}, 120_000)

afterAll(() => rmSync(packageDir, { recursive: true, force: true }))

/** `node [nodeArgs] dist/okra.cjs args` in `cwd`, with a temp folder of its own for the code cache. */
function run(args: string[], cwd = packageDir, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, okra, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TMPDIR: temp, ...env },
  })
}

/** The packages (not Node's own modules) a run of the program loaded; it must end with `status`. */
function packagesLoaded(args: string[], cwd = packageDir, status = 0): string[] {
  const record = join(packageDir, 'packages.txt')
  rmSync(record, { force: true })
  const r = run(args, cwd, { RECORD_PACKAGES: record }, ['--require', recorder])
  expect(r.status, r.stderr).toBe(status)
  return readFileSync(record, 'utf8').split('\n').filter(Boolean)
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'okra-bin-project-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

const USER = 'model User {\n  id: ID! @default(uuid)\n  email: String! @unique\n}\n'
const HEAVY = ['pg', 'better-sqlite3', 'graphql', 'vite', 'esbuild', 'webpack', 'rollup', '@rspack/core', 'unplugin']

describe('the built okra program', () => {
  // How fast it starts is measured by bench/cli.bench.mjs, not asserted here: a loaded CI machine would fail a threshold.
  it('--version prints the version, also after a command name, without loading the CLI', () => {
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version
    for (const args of [['--version'], ['-v'], ['db:sync', '--version']]) {
      const r = run(args)
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`${version}\n`)
    }
    expect(packagesLoaded(['--version'])).toEqual([])
  })

  it('ships the licence of every library bundled into the program', () => {
    const notices = readFileSync(join(packageDir, 'dist/THIRD-PARTY-LICENSES.txt'), 'utf8')
    const named = [...notices.matchAll(/^(\S+) \d+\.\d+\.\d+$/gm)].map((m) => m[1])
    expect(named).toEqual(expect.arrayContaining(['better-sqlite3', 'pg', 'pg-protocol', 'pg-pool', 'pg-types']))
    // Every package whose code is in the bundles, and only those (esbuild names each bundled file by its path).
    const code = ['cli.cjs', 'pg.cjs'].map((file) => readFileSync(join(packageDir, 'dist', file), 'utf8')).join('\n')
    const bundled = new Set([...code.matchAll(/"node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]))
    bundled.delete('tsup') // its shim for import.meta.url is build output, not a library
    expect(new Set(named)).toEqual(bundled)
    expect(notices).toContain('Permission is hereby granted, free of charge')
  })

  it('has a CLI bundle in ASCII, which Node reads as one-byte text without decoding UTF-8', () => {
    const bytes = readFileSync(join(packageDir, 'dist/cli.cjs'))
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1)
  })

  it('--help lists the commands', () => {
    const r = run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^ {2}db:validate +parse and validate all schema files$/m)
  })

  it('loads no database, bundler or GraphQL package before a command needs one', () => {
    const dir = project({ 'models.okra.gql': USER })
    try {
      const help = packagesLoaded(['--help'])
      const validate = packagesLoaded(['db:validate'], dir)
      for (const heavy of HEAVY) {
        expect(help).not.toContain(heavy)
        expect(validate).not.toContain(heavy)
      }
      // The recorder sees real loads: a command on a SQLite database loads better-sqlite3, and only it;
      // one on PostgreSQL loads pg, and only it (here it then fails to connect: nothing listens on port 1).
      const sync = packagesLoaded(['db:sync'], dir)
      expect(sync).toContain('better-sqlite3')
      expect(sync).not.toContain('pg')
      writeFileSync(join(dir, 'okra.config.json'), JSON.stringify({ database: { provider: 'postgres', url: 'postgres://okra@127.0.0.1:1/okra' } }))
      const postgres = packagesLoaded(['db:sync'], dir, 1)
      expect(postgres).toContain('pg')
      expect(postgres).not.toContain('better-sqlite3')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('models:generate loads the graphql package only for a GraphQL target, and never node:crypto', () => {
    const typescriptOnly = project({ 'models.okra.gql': USER })
    const withGraphql = project({
      'models.okra.gql': USER,
      'okra.config.json': JSON.stringify({ generate: { typescript: { out: './gen/models.ts' }, graphql: { out: './gen/schema.graphql' } } }),
    })
    try {
      expect(packagesLoaded(['models:generate'], typescriptOnly)).not.toContain('graphql')
      // Nor node:crypto (about 3 ms), with or without the compiled-schema cache; a sync hashes its schema, and loads it.
      expect(packagesLoaded(['models:generate'], typescriptOnly)).not.toContain('node:crypto')
      expect(packagesLoaded(['db:sync'], typescriptOnly)).toContain('node:crypto')
      expect(packagesLoaded(['models:generate'], withGraphql)).toContain('graphql')
      expect(readFileSync(join(withGraphql, 'gen/schema.graphql'), 'utf8')).toContain('type User')
    } finally {
      rmSync(typescriptOnly, { recursive: true, force: true })
      rmSync(withGraphql, { recursive: true, force: true })
    }
  })

  describe('the code cache', () => {
    const cacheFile = () => {
      const files = existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.endsWith('-db_validate.v8')) : []
      return files.length === 1 ? join(cacheDir, files[0]) : undefined
    }

    it('is written by a successful command, kept private, used as it is, and rewritten when damaged', () => {
      rmSync(cacheDir, { recursive: true, force: true })
      const dir = project({ 'models.okra.gql': USER })
      try {
        expect(run(['db:validate'], dir).status).toBe(0)
        const file = cacheFile()
        expect(file, 'a cache file for db:validate').toBeDefined()
        expect(statSync(cacheDir).mode & 0o777).toBe(0o700)
        expect(statSync(file!).mode & 0o777).toBe(0o600)
        const written = readFileSync(file!)
        expect(written.length).toBeGreaterThan(10_000)
        // Accepted by V8 in the next run: not written again.
        const before = statSync(file!).mtimeMs
        expect(run(['db:validate'], dir)).toMatchObject({ status: 0, stdout: '✓ 1 model, 0 enums in 1 file\n', stderr: '' })
        expect(statSync(file!).mtimeMs).toBe(before)
        // Damaged (half a file, then garbage): V8 rejects it, the command runs as ever and writes it anew.
        for (const damaged of [written.subarray(0, written.length >> 1), Buffer.alloc(written.length, 7)]) {
          writeFileSync(file!, damaged)
          expect(run(['db:validate'], dir)).toMatchObject({ status: 0, stdout: '✓ 1 model, 0 enums in 1 file\n', stderr: '' })
          expect(readFileSync(file!).equals(damaged)).toBe(false)
          expect(readFileSync(file!).length).toBeGreaterThan(10_000)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('is the cache of the CLI file as it is: a patched dist/cli.cjs of the same length runs as patched', () => {
      const dir = project({ 'models.okra.gql': USER })
      const cliFile = join(packageDir, 'dist/cli.cjs')
      const original = readFileSync(cliFile, 'utf8')
      try {
        for (let i = 0; i < 2; i++) expect(run(['db:validate'], dir).stdout).toBe('✓ 1 model, 0 enums in 1 file\n')
        // V8 checks a cache against the source's length only: the same length with other code must not meet the old code.
        const patched = original.replace('"enum")} in ${files}', '"enum")} IN ${files}')
        expect(patched).not.toBe(original)
        expect(patched.length).toBe(original.length)
        const { atime, mtime } = statSync(cliFile)
        writeFileSync(cliFile, patched)
        expect(run(['db:validate'], dir).stdout).toBe('✓ 1 model, 0 enums IN 1 file\n')
        // Nor when the patch keeps the old modification time (npm gives every installed file the same one).
        writeFileSync(cliFile, original)
        utimesSync(cliFile, atime, mtime)
        expect(run(['db:validate'], dir).stdout).toBe('✓ 1 model, 0 enums in 1 file\n')
        writeFileSync(cliFile, patched)
        utimesSync(cliFile, atime, mtime)
        expect(run(['db:validate'], dir).stdout).toBe('✓ 1 model, 0 enums IN 1 file\n')
      } finally {
        writeFileSync(cliFile, original)
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('is completed by the first run that compiles the schema when the runs it was made by did not', () => {
      rmSync(cacheDir, { recursive: true, force: true })
      const dir = project({ 'models.okra.gql': USER })
      const header = () => readFileSync(cacheFile()!, 'latin1').split('\n', 1)[0]
      try {
        // The compiled-schema cache is there, so the run that writes the code cache does not compile.
        expect(run(['db:validate'], dir, { OKRA_NO_COMPILE_CACHE: '1' }).status).toBe(0)
        expect(existsSync(join(dir, '.okra/cache/schema.json'))).toBe(true)
        expect(run(['db:validate'], dir).status).toBe(0)
        expect(header()).toBe('okra-code-cache ')
        const withoutCompiler = readFileSync(cacheFile()!).length
        // A schema edit: this run compiles, and the cache gains the compiler's code.
        writeFileSync(join(dir, 'models.okra.gql'), USER.replace('email', 'mail'))
        expect(run(['db:validate'], dir).status).toBe(0)
        expect(header()).toBe('okra-code-cache compiler')
        expect(readFileSync(cacheFile()!).length).toBeGreaterThan(withoutCompiler)
        // From then on it is used as it is, compiling or not.
        const written = statSync(cacheFile()!).mtimeMs
        writeFileSync(join(dir, 'models.okra.gql'), USER)
        expect(run(['db:validate'], dir).status).toBe(0)
        expect(run(['db:validate'], dir).status).toBe(0)
        expect(statSync(cacheFile()!).mtimeMs).toBe(written)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it("is kept under the command's name, also after a global flag's value (`--cwd DIR db:validate`)", () => {
      rmSync(cacheDir, { recursive: true, force: true })
      const dir = project({ 'models.okra.gql': USER })
      try {
        expect(run(['--cwd', dir, 'db:validate']).status).toBe(0)
        expect(readdirSync(cacheDir).filter((f) => f.endsWith('.v8')).map((f) => f.replace(/^.*-/, ''))).toEqual(['db_validate.v8'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    it('is not written by a failing command, nor with OKRA_NO_COMPILE_CACHE=1', () => {
      rmSync(cacheDir, { recursive: true, force: true })
      const broken = project({ 'models.okra.gql': 'model User {\n  id: ID!\n  name: Strin!\n}\n' })
      const fine = project({ 'models.okra.gql': USER })
      try {
        expect(run(['db:validate'], broken).status).toBe(1)
        expect(cacheFile()).toBeUndefined()
        expect(run(['db:validate'], fine, { OKRA_NO_COMPILE_CACHE: '1' }).status).toBe(0)
        expect(cacheFile()).toBeUndefined()
      } finally {
        rmSync(broken, { recursive: true, force: true })
        rmSync(fine, { recursive: true, force: true })
      }
    })

    it.runIf(typeof process.getuid === 'function')('is not used in a folder other users can write to', () => {
      rmSync(cacheDir, { recursive: true, force: true })
      mkdirSync(cacheDir, { mode: 0o777 })
      chmodSync(cacheDir, 0o777)
      const dir = project({ 'models.okra.gql': USER })
      try {
        expect(run(['db:validate'], dir)).toMatchObject({ status: 0, stdout: '✓ 1 model, 0 enums in 1 file\n' })
        expect(cacheFile()).toBeUndefined()
      } finally {
        rmSync(dir, { recursive: true, force: true })
        rmSync(cacheDir, { recursive: true, force: true })
      }
    })
  })

  it('a newcomer with only models.okra.gql can validate and generate', () => {
    const project = mkdtempSync(join(tmpdir(), 'okra-bin-project-'))
    try {
      writeFileSync(join(project, 'models.okra.gql'), 'model User {\n  id: ID! @default(uuid)\n  email: String! @unique\n}\n')
      expect(run(['db:validate'], project)).toMatchObject({ status: 0, stdout: '✓ 1 model, 0 enums in 1 file\n', stderr: '' })
      expect(run(['models:generate'], project)).toMatchObject({ status: 0, stdout: 'written   generated/models.ts\n', stderr: '' })
      expect(readFileSync(join(project, 'generated/models.ts'), 'utf8')).toContain('export interface User')
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  })

  it('a failing validate exits 1 with the message and no stack trace', () => {
    const project = mkdtempSync(join(tmpdir(), 'okra-bin-project-'))
    try {
      writeFileSync(join(project, 'models.okra.gql'), 'model User {\n  id: ID!\n  name: Strin!\n}\n')
      const r = run(['db:validate'], project)
      expect(r.status).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^models\.okra\.gql:3:9: error: /)
      expect(r.stderr).toContain('✗ 1 error in 1 file')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(project, { recursive: true, force: true })
    }
  })
})
