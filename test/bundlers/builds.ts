/**
 * One real production build per bundler, each with the OKRA plugin, as a user's config would run it.
 * Every build returns the same shape: the bundle (a classic script, so a test can run it) when it
 * succeeded, the error text when it failed, and the warnings the bundler reported.
 */
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import type { OkraPluginOptions } from '../../src/plugin/options'
import okraEsbuild from '../../src/esbuild'
import okraRollup from '../../src/rollup'
import okraRspack from '../../src/rspack'
import okraVite from '../../src/vite'
import okraWebpack from '../../src/webpack'
import { compileSchema } from '../../src/schema/compile'
import { canonicalJSON } from '../../src/schema/canonical'
import { writeFiles } from '../helpers/tmp'
import { writeSnapshotHistory } from '../helpers/history'

export const FIXTURE = join(import.meta.dirname, 'fixtures', 'app')

export type BuildOutcome = { ok: true; code: string; warnings: string } | { ok: false; error: string; warnings: string }

export type Bundler = 'vite' | 'rollup' | 'esbuild' | 'webpack' | 'rspack'
export const BUNDLERS: Bundler[] = ['vite', 'rollup', 'esbuild', 'webpack', 'rspack']

/** Copies the fixture into `root` and commits its schema as the snapshot (what `okra db:migrate:snapshot` leaves behind). */
export function cleanProject(root: string): void {
  cpSync(FIXTURE, root, { recursive: true })
  const text = readFileSync(join(root, 'models.okra.gql'), 'utf8')
  const { schema, diagnostics } = compileSchema([{ path: 'models.okra.gql', text }])
  if (!schema) throw new Error(`the fixture schema does not compile: ${diagnostics.map((d) => d.message).join('; ')}`)
  writeSnapshotHistory(root, canonicalJSON(schema))
}

/** Adds a field the snapshot does not have. */
export function addUnsnapshottedField(root: string): void {
  const file = join(root, 'models.okra.gql')
  writeFiles(root, { 'models.okra.gql': readFileSync(file, 'utf8').replace('  email: String! @unique\n', '  email: String! @unique\n  phone: String?\n') })
}

/** Runs a production build of `root/src/main.js` with `bundler`; warnings are what the bundler reported. */
export async function productionBuild(bundler: Bundler, root: string, options: OkraPluginOptions = {}): Promise<BuildOutcome> {
  const warnings: string[] = []
  try {
    const code = await BUILDERS[bundler](root, { root, ...options }, (line) => warnings.push(line))
    return { ok: true, code, warnings: warnings.join('\n') }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), warnings: warnings.join('\n') }
  }
}

type Builder = (root: string, options: OkraPluginOptions, onWarning: (line: string) => void) => Promise<string>

const BUILDERS: Record<Bundler, Builder> = {
  async vite(root, options, onWarning) {
    const { build, createLogger } = await import('vite')
    const logger = createLogger('silent')
    logger.warn = (line) => onWarning(line)
    const output = await build({
      root,
      configFile: false,
      customLogger: logger,
      logLevel: 'silent',
      plugins: [okraVite(options)],
      build: { write: false, minify: false, rollupOptions: { input: join(root, 'src/main.js'), output: { format: 'iife', name: 'app' } } },
    })
    const result = Array.isArray(output) ? output[0] : output
    if (!('output' in result)) throw new Error('vite build returned a watcher')
    return result.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n')
  },

  async rollup(root, options, onWarning) {
    const { rollup } = await import('rollup')
    const bundle = await rollup({ input: join(root, 'src/main.js'), plugins: [okraRollup(options)], onLog: (_level, log) => onWarning(log.message) })
    try {
      const { output } = await bundle.generate({ format: 'iife', name: 'app' })
      return output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n')
    } finally {
      await bundle.close()
    }
  },

  async esbuild(root, options, onWarning) {
    const esbuild = await import('esbuild')
    try {
      const result = await esbuild.build({
        absWorkingDir: root,
        entryPoints: ['src/main.js'],
        bundle: true,
        write: false,
        format: 'iife',
        logLevel: 'silent',
        plugins: [okraEsbuild(options)],
      })
      for (const warning of result.warnings) onWarning(warning.text)
      return result.outputFiles.map((file) => file.text).join('\n')
    } catch (error) {
      const failure = error as { errors?: { text: string }[] }
      throw new Error(failure.errors?.map((e) => e.text).join('\n') ?? String(error))
    }
  },

  async webpack(root, options, onWarning) {
    const { default: webpack } = await import('webpack')
    const compiler = webpack({
      mode: 'production',
      context: root,
      entry: './src/main.js',
      output: { path: join(root, 'dist-webpack'), filename: 'main.js' },
      optimization: { minimize: false },
      infrastructureLogging: { level: 'none' },
      plugins: [okraWebpack(options)],
    })
    return runCompiler(compiler, join(root, 'dist-webpack'), onWarning)
  },

  async rspack(root, options, onWarning) {
    const { rspack } = await import('@rspack/core')
    const compiler = rspack({
      mode: 'production',
      context: root,
      entry: './src/main.js',
      output: { path: join(root, 'dist-rspack'), filename: 'main.js' },
      optimization: { minimize: false },
      infrastructureLogging: { level: 'none' },
      plugins: [okraRspack(options)],
    })
    return runCompiler(compiler, join(root, 'dist-rspack'), onWarning)
  },
}

interface Stats {
  hasErrors(): boolean
  toJson(options: object): { errors?: { message: string }[]; warnings?: { message: string }[] }
}

interface CompilerLike {
  run(callback: (error: Error | null, stats?: Stats) => void): void
  close(callback: (error?: Error | null) => void): void
}

/** webpack and Rspack: run once, close, and read what was emitted; compilation errors become one thrown error. */
function runCompiler(compiler: unknown, outDir: string, onWarning: (line: string) => void): Promise<string> {
  const c = compiler as CompilerLike
  return new Promise((resolve, reject) => {
    c.run((error, stats) => {
      c.close(() => {
        if (error) return reject(error)
        const json = stats?.toJson({ errors: true, warnings: true })
        for (const warning of json?.warnings ?? []) onWarning(warning.message)
        if (stats?.hasErrors()) return reject(new Error((json?.errors ?? []).map((e) => e.message).join('\n')))
        const files = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.js')) : []
        resolve(files.map((f) => readFileSync(join(outDir, f), 'utf8')).join('\n'))
      })
    })
  })
}

/** Runs a bundle as a browser would run a script and returns what the fixture's entry put on globalThis. */
export function runBundle(code: string): { Role: Record<string, string>; models: Record<string, { table: string; fields: Record<string, { column: string | null }> }> } {
  const sandbox: Record<string, unknown> = {}
  runInNewContext(code, sandbox)
  return sandbox.__okra as ReturnType<typeof runBundle>
}
