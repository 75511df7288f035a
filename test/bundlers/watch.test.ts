/**
 * Watching builds are dev builds: no drift gate, the types follow the schema, the virtual module is
 * rebuilt, and a schema error is reported as the bundler's own error while the watcher goes on.
 * webpack through its watcher (`compiler.watch`), Rollup through `rollup.watch`, esbuild through a
 * `context()` and OKRA's own watcher (esbuild's watches only what was bundled).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import okraEsbuild from '../../src/esbuild'
import okraRollup from '../../src/rollup'
import okraRspack from '../../src/rspack'
import okraWebpack from '../../src/webpack'
import { makeTempDir } from '../helpers/tmp'
import { USER_SCHEMA, read, sqliteColumns, waitFor, withField, writeDevProject } from '../plugin/project'

const MAIN = "import { Role, models } from 'virtual:okra/models'\nglobalThis.__okra = { Role, models }\n"

/** A dev project with no snapshot at all: a production build would fail, a watching one must not. */
function watchProject(prefix: string): string {
  const root = makeTempDir(prefix)
  writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 20 } } })
  writeFileSync(join(root, 'main.js'), MAIN)
  return root
}

let lines: string[] = []
beforeEach(() => {
  lines = []
  for (const method of ['log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')))
})
afterEach(() => vi.restoreAllMocks())

/** What webpack's and Rspack's compilers share for watching. */
interface WatchingCompiler {
  watch(
    options: { aggregateTimeout: number },
    handler: (error: Error | null, stats?: { toJson(options: object): { errors?: { message: string }[] } }) => void,
  ): { close(callback: () => void): void }
}

/**
 * Collects the results of a watching build. `next()` waits for the one after the last seen; `until()`
 * for the first one after that which passes a check (a watcher may rebuild once more than there were
 * saves, e.g. webpack right after its first build).
 */
function results<T>() {
  const all: T[] = []
  let seen = 0
  const next = () => waitFor('the next build', () => (all.length > seen ? all[seen++] : undefined), 15_000)
  return {
    push: (result: T) => void all.push(result),
    next,
    async until(what: string, check: (result: T) => boolean): Promise<T> {
      const started = Date.now()
      for (;;) {
        const result = await next()
        if (check(result)) return result
        if (Date.now() - started > 15_000) throw new Error(`no build with ${what}`)
      }
    },
  }
}

describe.each(['webpack', 'rspack'] as const)('%s in watch mode', (bundler) => {
  it('regenerates the types and the module on a save, reports a schema error as a compilation error, recovers', async () => {
    const root = watchProject(`okra-${bundler}-watch-`)
    const config = {
      mode: 'development' as const,
      devtool: false as const,
      context: root,
      entry: './main.js',
      output: { path: join(root, 'out') },
      infrastructureLogging: { level: 'none' as const },
    }
    const compiler =
      bundler === 'webpack'
        ? (await import('webpack')).default({ ...config, plugins: [okraWebpack()] })
        : (await import('@rspack/core')).rspack({ ...config, plugins: [okraRspack()] })
    const builds = results<{ errors: string[] }>()
    const watching = (compiler as unknown as WatchingCompiler).watch({ aggregateTimeout: 20 }, (error, stats) => {
      const json = stats?.toJson({ errors: true })
      builds.push({ errors: error ? [error.message] : (json?.errors ?? []).map((e) => e.message) })
    })
    const bundle = () => readFileSync(join(root, 'out/main.js'), 'utf8')
    try {
      expect((await builds.next()).errors).toEqual([])
      expect(bundle()).toContain('ADMIN')
      await waitFor('the first sync', () => lines.some((l) => l.startsWith("[okra] synced: + Added model 'User'")))

      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
      await builds.until('phone in the bundle', (b) => b.errors.length === 0 && bundle().includes('phone'))
      expect(read(root, 'src/generated/models.ts')).toContain('phone?: string | null;')
      await waitFor('the phone column', () => lines.some((l) => l.startsWith("[okra] synced: + Added field 'phone' to User")))

      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: Strin?'))
      const broken = await builds.until('an error', (b) => b.errors.length > 0)
      expect(broken.errors.join('\n')).toContain("models.okra.gql:9:10: error: Unknown type 'Strin'")
      expect(read(root, 'src/generated/models.ts')).toContain('phone?: string | null;')

      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'mobile: String?'))
      await builds.until('mobile in the bundle', (b) => b.errors.length === 0 && bundle().includes('mobile'))
      await waitFor('the mobile column', () => lines.some((l) => l.includes("+ Added field 'mobile' to User")))
      expect(await sqliteColumns(root, 'users')).toContain('mobile')
    } finally {
      await new Promise<void>((resolve) => watching.close(resolve))
    }
  })
})

describe('Rollup in watch mode', () => {
  it('rebuilds on a schema save and fails the build (not the watcher) on a schema error', async () => {
    const root = watchProject('okra-rollup-watch-')
    const { watch } = await import('rollup')
    const watcher = watch({
      input: join(root, 'main.js'),
      plugins: [okraRollup({ root, autoSync: false })],
      output: { dir: join(root, 'out'), format: 'es' },
      watch: { buildDelay: 20 },
      onLog: () => undefined,
    })
    const builds = results<{ error?: string }>()
    watcher.on('event', (event) => {
      if (event.code === 'BUNDLE_END') void event.result.close().then(() => builds.push({}))
      if (event.code === 'ERROR') builds.push({ error: event.error.message })
    })
    try {
      expect(await builds.next()).toEqual({})
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: Strin?'))
      expect((await builds.next()).error).toContain("models.okra.gql:9:10: error: Unknown type 'Strin'")
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
      expect(await builds.next()).toEqual({})
      expect(readFileSync(join(root, 'out/main.js'), 'utf8')).toContain('phone')
    } finally {
      await watcher.close()
    }
  })
})

describe('an esbuild context', () => {
  it('is a dev build: no drift gate, and OKRA follows the schema with its own watcher', async () => {
    const root = watchProject('okra-esbuild-context-')
    const esbuild = await import('esbuild')
    const context = await esbuild.context({
      absWorkingDir: root,
      entryPoints: ['main.js'],
      bundle: true,
      write: false,
      logLevel: 'silent',
      plugins: [okraEsbuild({ autoSync: false })],
    })
    try {
      const first = await context.rebuild()
      expect(first.errors).toEqual([])
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
      await waitFor('the new types, without any rebuild', () => read(root, 'src/generated/models.ts').includes('phone'))
      const second = await context.rebuild()
      expect(second.outputFiles?.[0].text).toContain('phone')
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: Strin?'))
      await waitFor('the schema error', () => lines.some((l) => l.includes("Unknown type 'Strin'")))
      const broken = await context.rebuild().catch((error: { errors: { text: string; location: { line: number } | null }[] }) => error)
      expect('errors' in broken && broken.errors[0].text).toContain("models.okra.gql:9:10: error: Unknown type 'Strin'")
      expect('errors' in broken && broken.errors[0].location?.line).toBe(9)
    } finally {
      await context.dispose()
    }
  })
})
