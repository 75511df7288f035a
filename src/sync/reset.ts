/**
 * `reset()`: drops everything OKRA manages in the database and builds it again, then runs the seeds
 * (`seeds/*.sql`, unless `skipSeed`). By default from the migration history (replay.ts: every migration
 * applied and recorded as `migrate:up` would, then the schema's changes not yet in one synced);
 * `fromSchema`: created from the schema directly, in one transaction. What OKRA manages: the tables of the schema and of `migrations/current/schema.json` (what
 * the database was last synced to), their enum types, @updatedAt triggers and trigger function, OKRA's own
 * `_okra_*` tables, and the backups. Other tables are left alone.
 */
import { rmSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { summaries } from '../diff/index'
import { type Driver, type StatementTimeouts, applyTimeouts, openDriver } from '../dialects/index'
import { OkraError, SchemaError } from '../errors'
import { type LoadProjectOptions, type Project, loadProject } from '../project/load'
import { migrationPaths } from '../project/paths'
import { readCurrentSchema, writeCurrentSchema } from '../project/schema-states'
import type { Provider } from '../schema/physical-types'
import { readMigrationFolders } from '../migrations/folders'
import { type SeedResult, seed } from '../migrations/seeds'
import type { Schema } from '../schema/types'
import type { Terminal } from '../terminal'
import { applyPlan } from './apply'
import { SYNC_LOCK } from './engine'
import { planReset } from './plan'
import { replayHistory } from './replay'
import { askOrForce } from '../consent'

export interface ResetOptions extends LoadProjectOptions, Partial<StatementTimeouts> {
  project?: Project
  /** Skip the question, and allow a reset in the `production` environment. */
  force?: boolean
  /** Asked when not forced; absent, or throwing (no terminal): the reset needs `force`. */
  confirm?: (question: string) => Promise<boolean>
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
  /** Create the tables from the schema directly, rather than replaying the migrations. */
  fromSchema?: boolean
  /** Do not run `seeds/*.sql` afterwards. */
  skipSeed?: boolean
  /** Where the replayed migrations show progress and warnings. */
  terminal?: Terminal
}

export interface ResetResult {
  url: string
  provider: Provider
  /** Tables dropped (OKRA's `_okra_*` ones included), sorted. */
  dropped: string[]
  /** `history`: replayed from the migrations; `schema`: created from the schema. */
  from: 'history' | 'schema'
  /** One line per model and enum created (`schema`), or per change the sync after the migrations made (`history`). */
  created: string[]
  /** `history`: the migrations applied, in order. */
  migrations: string[]
  /** The seed files run, relative to the root. */
  seeds: SeedResult['files']
  /** SQLite, `history`: the copy of the database taken before the reset. */
  backup?: { name: string; path: string }
  /** The PostgreSQL schema (`?schema=`) created first because it did not exist. */
  createdSchema?: string
  durationMs: number
}

export async function reset(options: ResetOptions = {}): Promise<ResetResult> {
  const started = performance.now()
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { config } = project
  if (config.env === 'production' && !options.force) {
    throw new OkraError(
      'Refusing to reset the database of the production environment: it would drop every table OKRA manages',
      'If you really mean it, run it again with --force.',
    )
  }
  const driver = options.driver ?? (await openDriver(config.database.url, { root: config.root }))
  try {
    applyTimeouts(driver, config.database.timeouts, options)
    if (!options.force) await askFirst(driver.displayUrl, options.confirm)
    const schema = project.schema
    const createdSchema = (await driver.ensureSchema()) ?? undefined
    // Without a migration the history is the schema alone: built in one transaction, as --from-schema.
    const replay = !options.fromSchema && readMigrationFolders(config.database.migrations.dir, config.root).length > 0
    const rebuilt = replay ? await fromHistory(driver, project, schema, options.terminal) : await rebuildFromSchema(driver, project, schema, options.fromSchema ? 'schema' : 'history')
    const seeds = options.skipSeed ? [] : (await seed({ loadedConfig: config, driver })).files
    return { url: driver.displayUrl, provider: driver.provider, ...rebuilt, seeds, ...(createdSchema ? { createdSchema } : {}), durationMs: performance.now() - started }
  } finally {
    if (!options.driver) await driver.close()
  }
}

type Rebuilt = Pick<ResetResult, 'from' | 'dropped' | 'created' | 'migrations' | 'backup'>

async function fromHistory(driver: Driver, project: Project, schema: Schema, terminal: Terminal | undefined): Promise<Rebuilt> {
  const replayed = await replayHistory({ ...project, schema }, driver, terminal)
  return { from: 'history', dropped: replayed.dropped, created: replayed.synced, migrations: replayed.migrations, ...(replayed.backup ? { backup: replayed.backup } : {}) }
}

async function rebuildFromSchema(driver: Driver, project: Project, schema: Schema, from: Rebuilt['from']): Promise<Rebuilt> {
  const { config } = project
  // A sync in one transaction takes this lock; one that re-checks on write sees the reset and plans again.
  const release = driver.dialect.syncIsolation === 'one-transaction' ? await driver.lock(SYNC_LOCK, { timeoutMs: 30_000 }) : undefined
  try {
    const plan = await planReset(driver, schema, readCurrentSchema(config))
    rmSync(migrationPaths(config).currentSchema, { force: true })
    // Written on the lock's own session, proving it still holds it: a sync cannot run in between.
    await applyPlan(driver, plan, release ? { holding: SYNC_LOCK } : {})
    writeCurrentSchema(config, schema, plan.targetText)
    return { from, dropped: plan.dropped, created: summaries(plan.changes), migrations: [] }
  } finally {
    await release?.()
  }
}

function askFirst(url: string, confirm: ResetOptions['confirm']): Promise<void> {
  const question = `Drop every table OKRA manages in ${url} and build them again? All their rows are lost.`
  return askOrForce(question, confirm, { risk: 'db:reset drops data', verb: 'reset', cancelled: 'Reset cancelled: nothing was changed' })
}
