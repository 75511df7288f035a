/**
 * The plugin for every bundler: each hook only tells the context (context.ts) what the bundler is
 * doing, and hands what the context says back through the bundler's own channels (its errors,
 * warnings and watcher). Which kind of build this is:
 *
 * | bundler | production (drift gate, never syncs) | dev (auto-sync, watching)               |
 * |---------|--------------------------------------|-----------------------------------------|
 * | Vite    | `vite build`                         | `vite` (serve), `vite build --watch`    |
 * | Rollup  | a build that is not watching         | `rollup -w`                             |
 * | webpack | `mode: 'production'`, not watching   | any watching build                      |
 * | Rspack  | a build that is not watching         | any watching build                      |
 * | esbuild | `esbuild.build()`                    | `esbuild.context()` (or `watch: true`)  |
 *
 * A webpack build in development mode that is not watching writes the types and stops there.
 */
import type { UnpluginBuildContext, UnpluginFactory } from 'unplugin'
import type { PartialMessage } from 'esbuild'
import type { ResolvedConfig as ViteResolvedConfig } from 'vite'
import { type OkraProblem, describeProblem } from '../problems'
import { OkraContext } from './context'
import { servePanelOnDevServer } from './dev-servers'
import { esbuildEntryCall } from './esbuild-mode'
import type { OkraLogger, OkraPluginOptions } from './options'

type BuildKind = 'production' | 'once' | 'dev'

/** What a bundler offers the plugin at the start of a build. */
interface Host {
  kind(): BuildKind
  /** Dev: hand the schema files and their folders to the bundler's watcher. */
  watch(files: string[], folders: string[]): void
  warn(text: string): void
  /** A problem: fails this build; in dev the bundler keeps watching. */
  fail(problem: OkraProblem, production: boolean): void
}

/**
 * `virtual:okra/models` (VIRTUAL_MODELS_ID of src/codegen/virtual.ts, which test/plugin checks this equals:
 * importing it from there would load the generator with the plugin), and as imported, with the `\0` a
 * Rollup-like bundler may have put in front.
 */
export const MODELS_ID = 'virtual:okra/models'
const MODELS_IMPORT = /^\0?virtual:okra\/models$/

export const unpluginFactory: UnpluginFactory<OkraPluginOptions | undefined, false> = (options = {}, meta) => {
  const ctx = newContext(options)
  const { framework } = meta
  const rollupLike = framework === 'vite' || framework === 'rollup' || framework === 'rolldown'
  // Rollup-like bundlers mark a virtual module with \0 so no other plugin reads it as a file.
  const resolvedId = rollupLike ? `\0${MODELS_ID}` : MODELS_ID
  let kind: BuildKind | undefined
  let viteServer = false
  let builds = 0

  async function start(host: Host): Promise<void> {
    kind ??= host.kind()
    if (kind !== 'dev') {
      try {
        const report = await ctx.build({ production: kind === 'production' })
        if (report.drift?.drifted) host.warn((await import('./drift')).driftWarning(report.drift))
      } catch (error) {
        host.fail(describeProblem(error, ctx.root), true)
      }
      return
    }
    if (builds++ === 0) await ctx.startDev({ watch: framework === 'esbuild' })
    else await ctx.refresh()
    if (!viteServer) {
      const { dirs, trees } = ctx.watchDirectories()
      // Never the whole root: the bundler would rebuild on every file it writes there.
      host.watch(ctx.watchFiles(), [...dirs, ...trees].filter((dir) => dir !== ctx.root))
    }
    // Vite's server shows a problem in its overlay instead (vite-server.ts).
    if (ctx.problem && !viteServer) host.fail(ctx.problem, false)
  }

  return {
    name: 'unplugin-okra',
    enforce: 'pre',

    async buildStart() {
      if (framework !== 'esbuild') await start(hostOf(this))
    },

    watchChange(id) {
      if (ctx.isWatchedFile(id)) void ctx.refresh()
    },

    // The filters spare the bundler calls; the handlers check the id too, for hosts that apply no filter (src/vite.ts).
    resolveId: {
      filter: { id: MODELS_IMPORT },
      handler: (id) => (MODELS_IMPORT.test(id) ? resolvedId : undefined),
    },

    load: {
      filter: { id: /virtual:okra\/models$/ },
      async handler(id) {
        if (id !== resolvedId) return undefined
        await ctx.ready()
        // The module is rebuilt when a schema file changes (webpack, Rspack, esbuild and Rollup follow these).
        if (!viteServer) for (const file of ctx.watchFiles()) this.addWatchFile(file)
        try {
          return ctx.virtualModule()
        } catch (error) {
          throw bundlerError(describeProblem(error, ctx.root))
        }
      },
    },

    vite: {
      configResolved(config: ViteResolvedConfig) {
        ctx.useRoot(config.root)
        ctx.useLogger(viteLogger(config))
        viteServer = config.command === 'serve'
        kind = viteServer || config.build.watch ? 'dev' : 'production'
      },
      async configureServer(server) {
        const { attachToViteServer, mountPanel } = await import('./vite-server')
        // The panel first: the first sync may already ask a question there (autoSync: 'ask').
        mountPanel(server, ctx)
        // OKRA's own watch beside Vite's: Vite's watcher holds back an editor's atomic save (a rename) for
        // about 100 ms before reporting it; fs.watch reports it at once. Both call refresh(), which compiles
        // only files that changed.
        await ctx.startDev({ watch: true })
        builds++
        attachToViteServer(server, ctx, resolvedId)
      },
      // The dev server calls closeBundle when it closes; `vite build --watch` calls it after every rebuild, closeWatcher at the end.
      closeBundle: () => (viteServer ? ctx.close() : undefined),
      closeWatcher: () => ctx.close(),
    },

    rollup: {
      closeWatcher: () => ctx.close(),
    },

    webpack(compiler) {
      ctx.useRoot(compiler.context)
      compiler.hooks.watchClose.tap('unplugin-okra', () => void ctx.close())
      servePanelOnDevServer(compiler.options, ctx)
      // webpack reads `virtual:` as a URL scheme and never asks the resolvers; without the scheme, unplugin's resolver answers.
      compiler.hooks.normalModuleFactory.tap('unplugin-okra', (factory) => {
        factory.hooks.beforeResolve.tap('unplugin-okra', (data) => {
          if (data.request === MODELS_ID) data.request = `\0${MODELS_ID}`
        })
      })
    },

    rspack(compiler) {
      ctx.useRoot(compiler.context)
      compiler.hooks.watchClose.tap('unplugin-okra', () => void ctx.close())
      servePanelOnDevServer(compiler.options, ctx)
    },

    esbuild: {
      setup(build) {
        const call = esbuildEntryCall()
        ctx.useRoot(build.initialOptions.absWorkingDir ?? process.cwd())
        // esbuild's own start callback, so warnings and errors come back as esbuild messages.
        build.onStart(async () => {
          const host = esbuildHost(options.watch ?? call === 'context')
          await start(host)
          return host.messages
        })
        build.onDispose(() => void ctx.close())
      },
    },
  }
}

/** The context; invalid options fail the bundler's config as a plain message (no stack trace into okra). */
function newContext(options: OkraPluginOptions): OkraContext {
  try {
    return new OkraContext(options, { buildCache: true })
  } catch (error) {
    throw bundlerError(describeProblem(error, options.root ?? process.cwd()))
  }
}

/** Rollup, Vite, webpack and Rspack, through unplugin's build context. */
function hostOf(context: UnpluginBuildContext): Host {
  const native = context.getNativeBuildContext?.()
  if (native?.framework === 'webpack' || native?.framework === 'rspack') {
    const { compiler, compilation } = native
    return {
      kind: () => {
        if (compiler.watchMode) return 'dev'
        // webpack builds for production in mode 'production'; Rspack whenever it is not watching.
        return native.framework === 'rspack' || compiler.options.mode === 'production' ? 'production' : 'once'
      },
      watch(files, folders) {
        for (const file of files) context.addWatchFile(file)
        for (const folder of folders) compilation?.contextDependencies.add(folder)
      },
      warn: (text) => void compilation?.warnings.push(new compiler.webpack.WebpackError(text)),
      fail(problem, production) {
        if (production || !compilation) throw bundlerError(problem)
        compilation.errors.push(new compiler.webpack.WebpackError(problem.text))
      },
    }
  }
  // Rollup's (and Vite's) own plugin context: `meta.watchMode`, `warn`.
  const rollup = context as UnpluginBuildContext & { meta?: { watchMode?: boolean }; warn?: (message: string) => void }
  return {
    kind: () => (rollup.meta?.watchMode ? 'dev' : 'production'),
    watch(files, folders) {
      for (const path of [...files, ...folders]) context.addWatchFile(path)
    },
    warn: (text) => (rollup.warn ? rollup.warn(text) : console.warn(text)),
    fail(problem) {
      throw bundlerError(problem)
    },
  }
}

/** esbuild: messages returned from its start callback; watching is OKRA's own watcher (context.ts). */
function esbuildHost(watching: boolean): Host & { messages: { errors: PartialMessage[]; warnings: PartialMessage[] } } {
  const messages = { errors: [] as PartialMessage[], warnings: [] as PartialMessage[] }
  return {
    messages,
    kind: () => (watching ? 'dev' : 'production'),
    watch: () => undefined,
    warn: (text) => void messages.warnings.push({ text }),
    fail(problem, production) {
      if (production) throw bundlerError(problem)
      const location = problem.loc && { file: problem.loc.file, line: problem.loc.line, column: problem.loc.column - 1 }
      messages.errors.push({ text: problem.text, ...(location ? { location } : {}) })
    },
  }
}

/** Vite's logger (it respects `logLevel` and `customLogger`), with OKRA's lines as they are. */
function viteLogger(config: ViteResolvedConfig): OkraLogger {
  return {
    info: (line) => config.logger.info(line),
    warn: (line) => config.logger.warn(line),
    error: (line) => config.logger.error(line),
  }
}

/** The error a bundler reports: one Error whose message is the whole text (a bundler prints only an error's message). */
function bundlerError(problem: OkraProblem): Error {
  const error = new Error(problem.text)
  error.name = problem.error instanceof Error ? problem.error.name : 'OkraError'
  // The stack of an OkraError points into okra, not at anything the user can fix.
  error.stack = `${error.name}: ${problem.text}`
  // Vite prints an error that stops its config with util.inspect: show the text alone there too.
  Object.defineProperty(error, Symbol.for('nodejs.util.inspect.custom'), { value: () => problem.text })
  return error
}
