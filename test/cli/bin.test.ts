/**
 * The built CLI, spawned as users run it. Built with the project's own tsup options for src/cli.ts,
 * into a temporary directory (with package.json next to dist/, as in the published package), so the
 * test never depends on, or disturbs, a dist/ from another build.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tsupConfig from '../../tsup.config'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const packageDir = mkdtempSync(join(tmpdir(), 'okra-bin-'))
const cli = join(packageDir, 'dist/cli.js')

beforeAll(async () => {
  const configs = [tsupConfig].flat() as Exclude<typeof tsupConfig, (...args: never[]) => unknown>[]
  const options = configs.flat().find((c) => Array.isArray(c.entry) && c.entry.includes('src/cli.ts'))
  expect(options).toBeDefined()
  await build({ ...options, entry: [join(repo, 'src/cli.ts')], outDir: join(packageDir, 'dist'), config: false, silent: true, dts: false })
  copyFileSync(join(repo, 'package.json'), join(packageDir, 'package.json'))
}, 120_000)

afterAll(() => rmSync(packageDir, { recursive: true, force: true }))

function run(args: string[], cwd = packageDir) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { ...result, ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

/** The code a module loads before running: itself and its static imports, followed through relative chunks. */
function staticallyLoaded(file: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(file)) return seen
  const code = readFileSync(file, 'utf8')
  seen.set(file, code)
  for (const [, specifier] of code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm)) {
    if (specifier?.startsWith('.')) staticallyLoaded(resolve(dirname(file), specifier), seen)
    else if (specifier) seen.set(`bare:${specifier}`, '')
  }
  return seen
}

describe('the built okra CLI', () => {
  // How fast it starts is measured by bench/cli.bench.mjs, not asserted here: a loaded CI machine would fail a threshold.
  it('--version prints the version', () => {
    const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version
    const runs = Array.from({ length: 5 }, () => run(['--version']))
    for (const r of runs) {
      expect(r.status).toBe(0)
      expect(r.stdout).toBe(`${version}\n`)
    }
    const median = runs.map((r) => r.ms).sort((a, b) => a - b)[2]
    writeFileSync(join(tmpdir(), 'okra-cli-cold-start.txt'), `node dist/cli.js --version: median ${median.toFixed(0)} ms of 5\n`)
  })

  it('--help lists the commands', () => {
    const r = run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^ {2}db:validate +parse and validate all schema files$/m)
  })

  it('loads no database, bundler or GraphQL package, and not the compiler, before a command runs', () => {
    const loaded = staticallyLoaded(cli)
    const bare = [...loaded.keys()].filter((k) => k.startsWith('bare:')).map((k) => k.slice('bare:'.length))
    for (const heavy of ['pg', 'better-sqlite3', 'graphql', 'vite', 'esbuild', 'webpack', 'rollup', '@rspack/core', 'unplugin']) {
      expect(bare).not.toContain(heavy)
    }
    const code = [...loaded.values()].join('\n')
    expect(code).toContain('function main(')
    for (const name of ['function compileSchema(', 'function generateTypeScript(', 'function parse(']) expect(code).not.toContain(name)
    // ...while the lazily imported chunks do hold them: the check above looks at real names.
    const dist = join(packageDir, 'dist')
    const everything = readdirSync(dist).map((file) => readFileSync(join(dist, file), 'utf8'))
    expect(everything.join('\n')).toContain('function compileSchema(')
  })

  it('models:generate loads the graphql package only for a GraphQL target', () => {
    const dist = join(packageDir, 'dist')
    const chunk = readdirSync(dist).find((file) => file.startsWith('generate-'))
    expect(chunk).toBeDefined()
    const bare = [...staticallyLoaded(join(dist, chunk!)).keys()].filter((k) => k.startsWith('bare:'))
    expect(bare).not.toContain('bare:graphql')
    expect(readdirSync(dist).some((file) => readFileSync(join(dist, file), 'utf8').includes('from "graphql"'))).toBe(true)
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
