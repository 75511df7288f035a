/**
 * The dev panel's data over the plugin's dev context (context.ts): the last valid schema, the current
 * problem, the pending changes since the snapshot with their SQL per provider, the sync log and the
 * decision that waits (`autoSync: 'ask'`). The Vite dev server, webpack's and Rspack's dev servers and
 * `okra dev --ui` serve it (panel.ts). Loaded only when a dev panel is served.
 */
import { statSync } from 'node:fs'
import { basename, relative } from 'node:path'
import { maskUrl } from '../config/url'
import type { ResolvedConfig } from '../config/types'
import { databaseTarget, dialectOf } from '../dialects/index'
import { displayPath } from '../fs'
import { type Change, summarize } from '../diff/index'
import { changesSinceSnapshot } from '../migrations/diff'
import {
  type ConsentDecision,
  type ConsentRequest,
  type PanelProblem,
  type PanelProject,
  type PanelSnapshot,
  type PanelSource,
  type PanelTable,
  type PendingChanges,
  PanelRequestError,
  type SyncLogEntry,
} from '../panel/source'
import type { OkraProblem } from '../problems'
import type { Project } from '../project/load'
import { migrationPaths } from '../project/paths'
import { readSnapshotSchema } from '../project/schema-states'
import { SerialQueue } from '../watch/serial-queue'
import { type SyncOutcome, backupNote } from './autosync'
import { type OkraContext, RECENT_SYNCS } from './context'
import { lintPendingChanges } from './panel-lint'

/**
 * Quiet time before the changes since the snapshot are computed: a save's compile and the sync after it
 * ask once, and the new diagram is sent before the diff starts.
 */
const PENDING_QUIET_MS = 30
/** How often the snapshot file is looked at (one stat). */
const SNAPSHOT_CHECK_MS = 1000

export class ContextPanelSource implements PanelSource {
  private readonly listeners = new Set<() => void>()
  private readonly log: SyncLogEntry[] = []
  private logged = 0
  private pending: PendingChanges | null = null
  /** What the pending changes were computed from: a new project or another snapshot file computes them again. */
  private pendingFrom: { project: Project; snapshotStamp: string } | undefined
  private readonly pendingQueue = new SerialQueue(() => this.computePending(), PENDING_QUIET_MS)
  private readonly unsubscribe: (() => void)[]
  private readonly snapshotCheck: NodeJS.Timeout

  constructor(private readonly ctx: OkraContext) {
    this.unsubscribe = [
      // A new schema goes out at once; the changes since the snapshot follow when computed.
      ctx.on('update', () => {
        this.notify()
        this.refreshPending()
      }),
      ctx.on('problem', () => this.notify()),
      ctx.on('recovered', () => this.notify()),
      ctx.on('consent', () => this.notify()),
      ctx.on('synced', (outcome) => {
        this.record(outcome, Date.now())
        // A sync may record renames (current/renames.json), which the diff since the snapshot reads.
        this.refreshPending()
      }),
    ]
    for (const { outcome, endedAt } of [...ctx.recentSyncs].reverse()) this.record(outcome, endedAt)
    this.refreshPending()
    // `okra db:migrate:snapshot` (another process) writes a new snapshot: the changes since it are computed again.
    this.snapshotCheck = setInterval(() => {
      const project = this.ctx.project
      if (project && this.pendingFrom && this.pendingFrom.snapshotStamp !== snapshotStamp(project)) this.refreshPending()
    }, SNAPSHOT_CHECK_MS)
    this.snapshotCheck.unref()
  }

  current(): PanelSnapshot {
    const waiting = this.ctx.waitingConsent
    return {
      schema: this.ctx.schema ?? null,
      problem: this.ctx.problem ? panelProblem(this.ctx.problem, this.ctx.root) : null,
      project: this.projectFacts(),
      pending: this.pending,
      syncLog: this.log,
      consents: waiting ? [waiting satisfies ConsentRequest] : [],
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async decide(consentId: string, decision: ConsentDecision): Promise<void> {
    if (!this.ctx.decide(consentId, decision)) {
      throw new PanelRequestError(404, 'No change waits for a decision with this id: it was decided already, or the schema changed since. The panel shows what waits now.')
    }
  }

  async table(model: string): Promise<PanelTable> {
    const found = this.ctx.schema?.models.find((m) => m.name === model)
    if (!found) return { table: null }
    const database = await this.ctx.readDatabase((driver) => driver.introspect())
    if (database === undefined) return { unavailable: 'The dev database does not exist yet: the first sync creates it.' }
    return { table: database.tables.find((t) => t.name === found.table) ?? null }
  }

  /** Stops following the context. */
  close(): void {
    clearInterval(this.snapshotCheck)
    for (const off of this.unsubscribe) off()
    void this.pendingQueue.close()
    this.listeners.clear()
  }

  private notify(): void {
    for (const listener of this.listeners) listener()
  }

  private refreshPending(): void {
    void this.pendingQueue.request()
  }

  private projectFacts(): PanelProject {
    const config = this.ctx.resolvedConfig
    const autoSync = this.ctx.autoSync
    return {
      name: basename(this.ctx.root),
      env: config?.env ?? this.ctx.options.env ?? 'local',
      provider: config?.database.provider ?? 'sqlite',
      database: config ? databaseShown(config) : '',
      autoSync: autoSync.mode,
      ...(autoSync.mode === 'off' ? { autoSyncOff: autoSync.reason } : {}),
      schemaFiles: this.ctx.schemaPaths,
      generate: {
        ...(config?.generate.go ? { go: { package: config.generate.go.package } } : {}),
        ...(config?.generate.python ? { python: {} } : {}),
      },
    }
  }

  /** The changes since the snapshot for the last valid project, the SQL for every configured provider, the lint findings. */
  private async computePending(): Promise<void> {
    const project = this.ctx.project
    if (!project) return
    const stamp = snapshotStamp(project)
    if (this.pendingFrom?.project === project && this.pendingFrom.snapshotStamp === stamp) return
    this.pendingFrom = { project, snapshotStamp: stamp }
    try {
      this.pending = await pendingChanges(project)
    } catch (error) {
      // A snapshot file that is not a schema, say: the panel says so where the changes would be.
      this.pending = { hasSnapshot: false, summaries: [], sql: [], destructive: [], lint: [], warnings: [maskUrl(error instanceof Error ? error.message : String(error))] }
    }
    this.notify()
  }

  private record(outcome: SyncOutcome, endedAt: number): void {
    this.log.unshift(logEntry(outcome, String(++this.logged), this.ctx.root, endedAt))
    this.log.length = Math.min(this.log.length, RECENT_SYNCS)
    this.notify()
  }
}

export async function pendingChanges(project: Project): Promise<PendingChanges> {
  const snapshot = readSnapshotSchema(project.config)
  const { provider, providers } = project.config.database
  const found = await changesSinceSnapshot(project, { snapshot })
  const sql: PendingChanges['sql'] = []
  for (const other of providers) {
    const diff = other === provider ? found : await changesSinceSnapshot(project, { snapshot, provider: other })
    const statements = diff.changes.length > 0 ? dialectOf(other).render(diff.changes, diff.to, diff.from) : []
    sql.push({ provider: other, statements: statements.map((s) => `${s.sql};`) })
  }
  return {
    hasSnapshot: snapshot !== null,
    summaries: found.summaries,
    sql,
    destructive: found.changes.flatMap(destroys),
    lint: await lintPendingChanges(project, found),
    warnings: found.warnings.map((w) => w.message),
  }
}

/** A destructive change with what it destroys or fails on (`dropping column users.fax loses non-null values`). */
function destroys(change: Change): PendingChanges['destructive'] {
  if (change.safety.level !== 'destructive') return []
  const summary = summarize(change)
  if (summary === undefined) return []
  return [{ summary, destroys: change.safety.risks.map((risk) => `${risk.reason} ${risk.unit.other}`).join('; ') }]
}

/** The dev database's URL, password masked; a database file inside the project as a path relative to it (`sqlite://./dev.db`). */
function databaseShown(config: ResolvedConfig): string {
  const url = maskUrl(config.database.url)
  const { file } = databaseTarget(config.database.url, config.root)
  if (file === undefined || file === ':memory:' || !url.includes(file)) return url
  const shown = displayPath(config.root, file)
  return shown.startsWith('../') ? url : url.replace(file, `./${shown}`)
}

/** Changes when the snapshot file is written, created or removed. */
function snapshotStamp(project: Project): string {
  try {
    const stat = statSync(migrationPaths(project.config).snapshotSchema)
    return `${stat.mtimeMs}:${stat.size}`
  } catch {
    return 'none'
  }
}

function panelProblem(problem: OkraProblem, root: string): PanelProblem {
  return {
    text: problem.text,
    ...(problem.frame ? { frame: problem.frame } : {}),
    ...(problem.loc ? { file: relative(root, problem.loc.file).split('\\').join('/'), line: problem.loc.line, column: problem.loc.column } : {}),
  }
}

function logEntry(outcome: SyncOutcome, id: string, root: string, endedAt: number): SyncLogEntry {
  const { result, error, held } = outcome
  return {
    id,
    at: new Date(endedAt - outcome.ms).toISOString(),
    durationMs: outcome.ms,
    changes: result?.applied ? (result.summaries.length > 0 ? result.summaries : [`${result.statements.length} statements`]) : [],
    ...(result?.backup ? { backup: backupNote(result.backup, root) } : {}),
    ...(held
      ? {
          held:
            held.decision === 'kept'
              ? `Not applied: you kept the database as it is.\n${held.atRisk.map((r) => r.line).join('\n')}`
              : `Not applied: waiting for your decision.\n${held.atRisk.map((r) => r.line).join('\n')}`,
        }
      : error
        ? { error: error.text }
        : {}),
  }
}
