/**
 * Everything the plugin does, with no bundler in sight: the unplugin hooks (unplugin.ts) and the CLI's
 * `okra dev` and `okra build` drive this one object, and tests drive it directly.
 *
 * - `build()`: a build that runs once. Load the config, validate, write the types; in production also
 *   the drift gate. Every problem throws, so the build fails. With `buildCache` (the bundler plugin), a
 *   build whose inputs are those of the last clean one is answered from build-cache.ts.
 *
 * The compiler and the generators (toolchain.ts) load on first use: a cached build never loads them.
 * - `startDev()`: a dev server or a watching build. The same, but problems are reported and never
 *   thrown (the server keeps running on the last good types); then every `refresh()` (a schema file
 *   changed, was added or removed) recompiles, rewrites what changed, and after `syncDebounce` ms of
 *   quiet syncs the dev database, one sync at a time. With `autoSync: 'ask'`, a destructive change that
 *   affects rows is held until the developer decides in the dev panel (ask.ts, `decide()`).
 */
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadConfig } from '../config/load'
import type { ResolvedConfig } from '../config/types'
import type { Driver } from '../dialects/index'
import { OkraError, SchemaError } from '../errors'
import { displayPath, writeIfChanged } from '../fs'
import { formatDiagnostic } from '../language/diagnostics'
import type { Source } from '../language/source'
import { type OkraProblem, describeProblem } from '../problems'
import type { Project } from '../project/load'
import { DEFAULT_DTS } from '../project/paths'
import type { Schema } from '../schema/types'
import type { DataAtRisk } from '../sync/consent'
import { findSchemaFiles, readSources } from '../project/schema-files'
import { SchemaFiles, type WatchedDirectories } from '../watch/schema-files'
import { SchemaWatcher } from '../watch/schema-watcher'
import { SerialQueue } from '../watch/serial-queue'
import { type ConsentDecision, ConsentDesk, type WaitingConsent } from './ask'
import type { DevDatabase, SyncOutcome } from './autosync'
import { BuildCache } from './build-cache'
import type { DriftReport } from './drift'
import { type OkraLogger, type OkraPluginOptions, checkOptions, consoleLogger, formatMs } from './options'


/** How many syncs the context remembers for the dev panel (its log shows as many). */
export const RECENT_SYNCS = 100

export { DEFAULT_DTS } from '../project/paths'

export interface BuildReport {
  /** Files written (relative to the root); files whose content was already right are not listed. */
  written: string[]
  /** Every output (types and okra.d.ts), relative to the root. */
  outputs: string[]
  /** The drift check, or null when `drift` is off or the build is not a production build. */
  drift: DriftReport | null
}

/** What the host gives the context besides the options: where to print, and the environment for `${VAR}`. */
export interface ContextSetup {
  logger?: OkraLogger
  /** Variables for `${VAR}` and OKRA_ENV (default process.env). */
  processEnv?: Record<string, string | undefined>
  /** `build()` answers from the build cache when its inputs are unchanged (build-cache.ts): the bundler plugin's builds. */
  buildCache?: boolean
}

export interface ContextEvents {
  /** A changed schema compiled and the outputs are written: the virtual module is made anew. */
  update: []
  /** Dev: the schema (or the config) has an error; the last good types stay. */
  problem: [OkraProblem]
  /** Dev: the schema is valid again after a problem. */
  recovered: []
  /** Dev: the types were written (relative paths) after a change. */
  types: [{ written: string[]; ms: number }]
  /** Dev: an auto-sync finished (or failed: see `outcome.error`; or was held: see `outcome.held`). */
  synced: [SyncOutcome]
  /** Dev, `autoSync: 'ask'`: the request waiting for a decision changed (see `waitingConsent`). */
  consent: []
}

/** How auto-sync runs: on, asking first for destructive changes, or off (and why). */
export type AutoSyncMode = { mode: 'on' | 'ask' } | { mode: 'off'; reason: string }

type CompiledProject = Project & { schema: NonNullable<Project['schema']> }

type Toolchain = typeof import('./toolchain')

interface GoodState {
  /** The schema files, relative to the root. */
  files: string[]
  /** The compiled project; absent when a build was answered from the build cache. */
  project?: CompiledProject
  /** The virtual module's JavaScript: from the build cache, or made when a bundler first asks for it (`okra dev` never does). */
  moduleSource?: string
}

export class OkraContext {
  private rootDir: string
  private logger: OkraLogger
  private config: ResolvedConfig | undefined
  private good: GoodState | undefined
  private currentProblem: OkraProblem | undefined
  /** What the last compile read (file names and texts): an unchanged project is not compiled again. */
  private fingerprint: string | undefined
  private started: Promise<void> | undefined
  private built: Promise<BuildReport> | undefined
  private readonly listeners = new Map<keyof ContextEvents, Set<(...args: never[]) => void>>()
  /**
   * The newest syncs (at most RECENT_SYNCS), newest first, each with when it ended: the dev panel, which
   * loads while the dev server starts, shows those that ended before it was there too (the first sync).
   */
  readonly recentSyncs: { outcome: SyncOutcome; endedAt: number }[] = []
  private readonly refreshQueue = new SerialQueue(() => this.compileAndWrite())
  private syncQueue: SerialQueue | undefined
  /** Dev: the connection auto-sync keeps open (autosync.ts, loaded with the first sync: a production build never loads it). */
  private database: DevDatabase | undefined
  /** Dev, after the first compile: later compiles ask for a sync. */
  private syncing = false
  private watcher: SchemaWatcher | undefined
  /** What concerns OKRA, from the last config that loaded (watch/schema-files.ts). */
  private schemaFiles: SchemaFiles | undefined
  /** The compiler and generators (toolchain.ts), once loaded. */
  private toolchain: Toolchain | undefined
  /** The last config that loaded: kept while a later one has a problem. */
  private lastConfig: ResolvedConfig | undefined
  /** `autoSync: 'ask'`: the decisions on destructive changes. */
  private readonly desk = new ConsentDesk()
  /** The dev panel's URL, once a dev server serves it: where the terminal sends the developer to decide. */
  private panel: string | undefined

  constructor(
    readonly options: OkraPluginOptions = {},
    private readonly setup: ContextSetup = {},
  ) {
    checkOptions(options)
    this.logger = setup.logger ?? consoleLogger
    this.rootDir = resolve(options.root ?? process.cwd())
  }

  get root(): string {
    return this.rootDir
  }

  /** The bundler's root (Vite's `root`, webpack's `context`): used unless the `root` option was given. Call before starting. */
  useRoot(root: string): void {
    if (this.options.root === undefined && !this.started && !this.built) this.rootDir = resolve(root)
  }

  /** Where the context prints (hosts add their own lines, such as the dev panel's URL). */
  get log(): OkraLogger {
    return this.logger
  }

  /** Where lines go from now on (the plugin uses Vite's logger under Vite). */
  useLogger(logger: OkraLogger): void {
    this.logger = logger
  }

  /** The problem the project has now (dev), or undefined. */
  get problem(): OkraProblem | undefined {
    return this.currentProblem
  }

  /** The last config that loaded (kept while the config file has a problem), or undefined before one did. */
  get resolvedConfig(): ResolvedConfig | undefined {
    return this.lastConfig
  }

  /** The last valid compiled project: the same object until the schema files change. */
  get project(): Project | undefined {
    return this.good?.project
  }

  /** The last valid schema: the same object until the schema changes. */
  get schema(): Schema | undefined {
    return this.good?.project?.schema
  }

  /** The schema files of the last valid schema, relative to the root. */
  get schemaPaths(): string[] {
    return this.good?.files ?? []
  }

  /** How auto-sync runs now (dev). */
  get autoSync(): AutoSyncMode {
    const reason = this.autoSyncOffReason()
    if (reason !== undefined) return { mode: 'off', reason }
    return { mode: (this.options.autoSync ?? this.config!.database.migrations.autoSync) === 'ask' ? 'ask' : 'on' }
  }

  /** Dev, `autoSync: 'ask'`: the destructive change waiting for the developer's decision, if any. */
  get waitingConsent(): WaitingConsent | undefined {
    // A config changed to another autoSync leaves no question behind.
    return this.autoSync.mode === 'ask' ? this.desk.waiting : undefined
  }

  /** A dev server serves the dev panel at `url`: the terminal names it when a decision waits there. */
  usePanel(url: string): void {
    this.panel = url
  }

  /**
   * Dev, `autoSync: 'ask'`: the developer's decision on the waiting change. `apply` syncs at once, after a
   * backup, if the sync meets the very same changes (else it asks again); `keep` leaves the database as it
   * is and stops asking while these changes are pending. False when no request with this id waits.
   */
  decide(id: string, decision: ConsentDecision): boolean {
    if (this.autoSync.mode !== 'ask' || !this.desk.decide(id, decision)) return false
    this.emit('consent')
    if (decision === 'apply') {
      this.logger.info('[okra] applying the changes that would lose data, after a backup (decided in the dev panel)')
      void this.syncQueue?.flush()
    } else {
      this.logger.info('[okra] keeping the database as it is (decided in the dev panel); not asking again while these changes are pending')
    }
    return true
  }

  /**
   * Dev: runs `read` on the dev database's connection, one at a time with the syncs; undefined when there
   * is no config yet or the database does not exist (reading never creates it).
   */
  async readDatabase<T>(read: (driver: Driver) => Promise<T>): Promise<T | undefined> {
    const config = this.lastConfig
    if (!config) return undefined
    const { DevDatabase, readDevDatabase } = await import('./autosync')
    this.database ??= new DevDatabase()
    return readDevDatabase(config, this.database, read)
  }

  on<E extends keyof ContextEvents>(event: E, listener: (...args: ContextEvents[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as (...args: never[]) => void)
    return () => set.delete(listener as (...args: never[]) => void)
  }

  private emit<E extends keyof ContextEvents>(event: E, ...args: ContextEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: ContextEvents[E]) => void)(...args)
  }

  /**
   * A build that runs once: load, validate, write the types and okra.d.ts; in production, the drift
   * gate (unless `drift: 'off'`): drift throws a DriftError, or with `drift: 'warn'` is in the report for the
   * caller to show. Throws an OkraError on any problem. Never opens a database. Runs once per context.
   */
  build(options: { production: boolean }): Promise<BuildReport> {
    this.built ??= this.buildOnce(options.production)
    return this.built
  }

  private async buildOnce(production: boolean): Promise<BuildReport> {
    // A build never opens a database: it needs no database URL (production's may not be set where it builds).
    const config = await this.loadConfig({ needsUrl: false })
    const { files, sources } = this.readSchemaFiles(config)
    const mode = this.options.drift ?? 'error'
    const cache = this.setup.buildCache ? new BuildCache({ config, sources, production, drift: mode, dts: this.dtsPath(config) }) : undefined
    const cached = cache?.lookup()
    if (cached) {
      for (const warning of cached.warnings) this.logger.warn(warning)
      this.good = { files, moduleSource: cached.module }
      return { written: [], outputs: cached.outputs.map(({ file }) => file), drift: cached.drift }
    }
    const project = await this.compile(config, files, sources)
    if (!project.schema) throw new SchemaError(project.diagnostics)
    const warnings = project.diagnostics.map((d) => `[okra] ${formatDiagnostic(d)}`)
    for (const warning of warnings) this.logger.warn(warning)
    const { written, outputs } = await this.writeOutputs(project as CompiledProject)
    this.good = { files, project: project as CompiledProject }
    let drift: DriftReport | null = null
    if (production && mode !== 'off') {
      const { checkDrift, DriftError } = await import('./drift')
      drift = await checkDrift(project)
      for (const warning of drift.warnings.map((w) => `[okra] warning: ${w}`)) {
        this.logger.warn(warning)
        warnings.push(warning)
      }
      if (drift.drifted && mode === 'error') throw new DriftError(drift)
    }
    cache?.store({ outputs, warnings, drift, module: this.virtualModule() })
    return { written, outputs: outputs.map(({ file }) => file), drift }
  }

  /**
   * Dev: the first compile (a problem is reported, not thrown), then the first auto-sync. With `watch`,
   * OKRA's own watcher follows the schema files (esbuild and `okra dev`; the other bundlers call `refresh()`
   * from their own watchers). Idempotent.
   */
  startDev(options: { watch?: boolean; persistent?: boolean } = {}): Promise<void> {
    this.started ??= (async () => {
      await this.refreshQueue.flush()
      this.syncing = true
      if (this.autoSyncEnabled()) void this.syncQueue!.flush()
      else if (this.config) this.logger.info(`[okra] auto-sync off: ${this.autoSyncOffReason()}`)
      if (options.watch) {
        this.watcher = new SchemaWatcher({ persistent: options.persistent, onChange: () => void this.refresh() })
        this.watcher.follow(this.rule())
      }
    })()
    return this.started
  }

  /** Dev: something the plugin watches changed. Recompiles when a file list or text changed; resolves when done. */
  refresh(): Promise<void> {
    return this.refreshQueue.request()
  }

  /** Resolves when no compile is in progress (the virtual module's loader waits for it). */
  async ready(): Promise<void> {
    if (this.started) await this.started
    await this.refreshQueue.idle()
  }

  /** Resolves when no sync is running (tests and `okra dev`'s shutdown). */
  async syncIdle(): Promise<void> {
    await this.syncQueue?.idle()
  }

  /** The JavaScript of `virtual:okra/models` from the last valid schema. Throws while no schema has ever been valid. */
  virtualModule(): string {
    if (this.good) return (this.good.moduleSource ??= this.toolchain!.generateVirtualModule(this.good.project!.schema, { sources: this.good.files }))
    if (this.currentProblem) throw this.currentProblem.error
    throw new OkraError('The okra schema has not been loaded yet', 'This is a bug in the plugin: the virtual module was loaded before the build started.')
  }

  /** The schema files (absolute) and the config file: what a bundler should watch. */
  watchFiles(): string[] {
    const files = (this.good?.files ?? []).map((file) => resolve(this.rootDir, file))
    if (this.config?.configFile) files.push(this.config.configFile)
    return files
  }

  /** The directories where schema files, the config and `.env` can appear (watch/schema-files.ts). */
  watchDirectories(): WatchedDirectories {
    return this.rule().directories()
  }

  /** Whether a change to this file concerns OKRA: a path the schema globs match, the config, or `.env` (watch/schema-files.ts). */
  isWatchedFile(file: string): boolean {
    return this.rule().concerns(resolve(this.rootDir, file))
  }

  /** Stops the watcher and any pending sync; waits for a running sync to finish. */
  async close(): Promise<void> {
    this.watcher?.close()
    this.watcher = undefined
    await this.refreshQueue.close()
    await this.syncQueue?.close()
    await this.database?.close()
  }

  /** The rule of the last config that loaded; the defaults before one did. */
  private rule(): SchemaFiles {
    return this.schemaFiles ?? new SchemaFiles({ root: this.rootDir, configFile: this.options.config })
  }

  private async loadConfig(options: { needsUrl?: boolean } = {}): Promise<ResolvedConfig> {
    if (!this.config) {
      this.config = await loadConfig({ cwd: this.rootDir, configFile: this.options.config, env: this.options.env, processEnv: this.setup.processEnv, ...options })
      this.lastConfig = this.config
      this.schemaFiles = new SchemaFiles({ root: this.rootDir, config: this.config, configFile: this.options.config })
    }
    return this.config
  }

  /** Finds and reads the schema files. Throws an OkraError when there are none. */
  private readSchemaFiles(config: ResolvedConfig): { files: string[]; sources: Source[] } {
    const files = findSchemaFiles(config)
    const sources = readSources(config.root, files)
    this.fingerprint = fingerprintOf(config, files, sources.map((s) => s.text))
    return { files, sources }
  }

  /** Compiles the schema files just read. */
  private async compile(config: ResolvedConfig, files: string[], sources: Source[]): Promise<Project> {
    const { compileSchema } = await this.tools()
    return { config, files, sources, ...compileSchema(sources) }
  }

  /** The compiler and generators, loaded on first use. */
  private async tools(): Promise<Toolchain> {
    return (this.toolchain ??= await import('./toolchain'))
  }

  /** Dev: one compile-and-write; the refresh queue runs it, one at a time. */
  private async compileAndWrite(): Promise<void> {
    const started = performance.now()
    const before = this.fingerprint
    let project: Project
    try {
      // The config is read again when it may have changed (it is cheap), so fixing okra.config.json recovers too.
      this.config = undefined
      const config = await this.loadConfig()
      this.watcher?.follow(this.rule())
      const { files, sources } = this.readSchemaFiles(config)
      // Several watchers may report one save (the bundler's and OKRA's own): the same files and config
      // as last time compile to the same result, so they are not compiled again.
      if (this.fingerprint === before && (this.good || this.currentProblem)) return
      project = await this.compile(config, files, sources)
    } catch (error) {
      this.fingerprint = undefined
      this.report(describeProblem(error, this.rootDir))
      return
    }
    if (!project.schema) {
      this.report(describeProblem(new SchemaError(project.diagnostics), this.rootDir))
      return
    }
    for (const d of project.diagnostics) this.logger.warn(`[okra] ${formatDiagnostic(d)}`)
    const good = project as CompiledProject
    let written: string[]
    try {
      written = (await this.writeOutputs(good)).written
    } catch (error) {
      this.report(describeProblem(error, this.rootDir))
      return
    }
    this.good = { files: good.files, project: good }
    const ms = performance.now() - started
    if (written.length > 0) this.logger.info(`[okra] types: wrote ${written.join(', ')} (${formatMs(ms)})`)
    this.emit('types', { written, ms })
    if (this.currentProblem) {
      this.currentProblem = undefined
      this.emit('recovered')
    }
    this.emit('update')
    if (this.syncing && this.autoSyncEnabled()) void this.syncQueue!.request()
  }

  /** Dev: prints the problem once and remembers it; the last good types and module stay. */
  private report(problem: OkraProblem): void {
    if (this.currentProblem?.text === problem.text) return
    this.currentProblem = problem
    const kept = this.good ? '\n(the last good types are kept; nothing is synced until it is fixed)' : ''
    this.logger.error(`[okra] ${problem.text}${kept}`)
    this.emit('problem', problem)
  }

  /**
   * Writes every configured output and okra.d.ts, each only when its content changed. Returns the files
   * written and every output with its content, relative to the root.
   */
  private async writeOutputs(project: CompiledProject): Promise<{ written: string[]; outputs: { file: string; content: string }[] }> {
    const { config, schema, files } = project
    const { renderOutputs, generateVirtualDeclaration } = await this.tools()
    const outputs = (await renderOutputs(schema, config.generate, files)).map(({ file, content }) => ({ file, content }))
    const dts = this.dtsPath(config)
    if (dts) outputs.push({ file: dts, content: generateVirtualDeclaration(schema, { sources: files }) })
    const shown = (file: string) => displayPath(config.root, file)
    const written = outputs.filter(({ file, content }) => writeIfChanged(file, content)).map(({ file }) => shown(file))
    return { written, outputs: outputs.map(({ file, content }) => ({ file: shown(file), content })) }
  }

  /** okra.d.ts (absolute), or undefined when `dts` is false. */
  private dtsPath(config: ResolvedConfig): string | undefined {
    return this.options.dts === false ? undefined : resolve(config.root, this.options.dts ?? DEFAULT_DTS)
  }

  private autoSyncEnabled(): boolean {
    if (!this.config || this.autoSyncOffReason() !== undefined) return false
    this.syncQueue ??= new SerialQueue(() => this.sync(), this.options.syncDebounce ?? this.config.database.migrations.syncDebounce)
    return true
  }

  private autoSyncOffReason(): string | undefined {
    if (!this.config) return 'no config loaded'
    if (this.config.env === 'production') return "the environment is 'production'"
    if (this.options.autoSync === false) return 'the autoSync option is false'
    if (this.options.autoSync === undefined && this.config.database.migrations.autoSync === false) return 'autoSync is false in the config'
    return undefined
  }

  /**
   * One auto-sync of the last good schema; skipped while the schema has a problem. Asking first
   * (`autoSync: 'ask'`), it syncs without a backup, so destructive changes that affect rows stop it with
   * nothing changed; the desk says whether the developer allowed exactly these (then they are applied
   * after a backup) or they wait.
   */
  private async sync(): Promise<void> {
    if (this.currentProblem || !this.good?.project) return
    const { DevDatabase, backupPlace, syncDevDatabase, syncLine } = await import('./autosync')
    this.database ??= new DevDatabase()
    const project = this.good.project
    const asking = this.autoSync.mode === 'ask'
    const waitingBefore = this.desk.waiting
    let outcome: SyncOutcome = await syncDevDatabase(project, this.database, this.logger, { backup: !asking })
    const { refused } = outcome as { refused?: DataAtRisk[] }
    if (asking && refused) {
      const step = this.desk.stopped(refused, backupPlace(project.config))
      outcome =
        step === 'apply'
          ? await syncDevDatabase(project, this.database, this.logger, { backup: true })
          : { held: { atRisk: refused, decision: step }, ms: outcome.ms }
    } else if (!asking || !outcome.error) this.desk.settled()
    if (this.desk.waiting !== waitingBefore) this.emit('consent')
    const line = syncLine(outcome, this.rootDir, this.panel)
    if (outcome.error) this.logger.error(line)
    else if (outcome.held) this.logger.warn(line)
    else this.logger.info(line)
    this.recentSyncs.unshift({ outcome, endedAt: Date.now() })
    this.recentSyncs.length = Math.min(this.recentSyncs.length, RECENT_SYNCS)
    this.emit('synced', outcome)
  }
}

function fingerprintOf(config: ResolvedConfig, files: string[], texts: string[]): string {
  return JSON.stringify([config, files, texts])
}
