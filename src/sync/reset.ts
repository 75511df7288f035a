/**
 * `reset()`: drops everything OKRA manages in the database and creates it again from the schema, in one
 * transaction. What OKRA manages: the tables of the schema and of `migrations/current/schema.json` (what
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
import { applyPlan } from './apply'
import { SYNC_LOCK } from './engine'
import { planReset } from './plan'

export interface ResetOptions extends LoadProjectOptions, Partial<StatementTimeouts> {
  project?: Project
  /** Skip the question, and allow a reset in the `production` environment. */
  force?: boolean
  /** Asked when not forced; absent, or throwing (no terminal): the reset needs `force`. */
  confirm?: (question: string) => Promise<boolean>
  /** An open driver to use (left open); default: opened from the config and closed at the end. */
  driver?: Driver
}

export interface ResetResult {
  url: string
  provider: Provider
  /** Tables dropped (OKRA's `_okra_*` ones included), sorted. */
  dropped: string[]
  /** One line per model and enum created. */
  created: string[]
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
    // A sync in one transaction takes this lock; one that re-checks on write sees the reset and plans again.
    const release = driver.dialect.syncIsolation === 'one-transaction' ? await driver.lock(SYNC_LOCK, { timeoutMs: 30_000 }) : undefined
    try {
      const plan = await planReset(driver, project.schema, readCurrentSchema(config))
      rmSync(migrationPaths(config).currentSchema, { force: true })
      // Written on the lock's own session, proving it still holds it: a sync cannot run in between.
      await applyPlan(driver, plan, release ? { holding: SYNC_LOCK } : {})
      writeCurrentSchema(config, project.schema, plan.targetText)
      return { url: driver.displayUrl, provider: driver.provider, dropped: plan.dropped, created: summaries(plan.changes), durationMs: performance.now() - started }
    } finally {
      await release?.()
    }
  } finally {
    if (!options.driver) await driver.close()
  }
}

async function askFirst(url: string, confirm: ResetOptions['confirm']): Promise<void> {
  const question = `Drop every table OKRA manages in ${url} and create them again? All their rows are lost.`
  const needsForce = () => new OkraError(`db:reset drops data, and there is no terminal to ask: ${question}`, 'Run it again with --force to reset without asking.')
  if (!confirm) throw needsForce()
  let yes: boolean
  try {
    yes = await confirm(question)
  } catch (error) {
    if (error instanceof OkraError) throw needsForce()
    throw error
  }
  if (!yes) throw new OkraError('Reset cancelled: nothing was changed')
}
