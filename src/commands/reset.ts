/**
 * `okra db:reset`: drops everything OKRA manages in the database and creates it again from the schema,
 * in one transaction. What OKRA manages: the tables of the schema and of `migrations/current/schema.json`
 * (what the database was last synced to), their enum types, @updatedAt triggers and trigger function,
 * OKRA's own `_okra_*` tables, and the `okra_backup` schema. Other tables are left alone.
 *
 * Asks at a terminal; without one it needs `--force`; in the `production` environment it is refused
 * unless `--force` is given.
 */
import { performance } from 'node:perf_hooks'
import { BACKUP_SCHEMA } from '../backup'
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import { diff, summaries } from '../diff/index'
import type { Driver } from '../drivers/types'
import { OkraError, SchemaError } from '../errors'
import { migrationPaths, readCurrentSchema, sha256, writeCurrentSchema } from '../migrations/state'
import { type LoadProjectOptions, type Project, loadProject } from '../project'
import { canonicalJSON } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider } from '../schema/physical-types'
import { UPDATED_AT_FUNCTION } from '../sql/names'
import { renderChanges } from '../sql/render'
import { type Statement, outsideTransaction, sql } from '../sql/statement'
import { applyPlan } from '../sync/apply'
import { rmSync } from 'node:fs'
import { SYNC_LOCK } from '../sync/engine'

export interface ResetOptions extends LoadProjectOptions {
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
  const driver = options.driver ?? (await (await import('../drivers/index')).openDriver(config.database.url, { root: config.root }))
  try {
    if (!options.force) await askFirst(driver.displayUrl, options.confirm)
    const release = driver.provider === 'postgres' ? await driver.lock(SYNC_LOCK, { timeoutMs: 30_000 }) : undefined
    try {
      const current = readCurrentSchema(config)
      const provider = driver.provider
      const to = toPhysical(project.schema, provider)
      const managed = [to, ...(current ? [toPhysical(current, provider)] : [])]
      const okraTables = await ownTables(driver)
      const tables = [...new Set([...managed.flatMap((s) => s.tables.map((t) => t.name)), ...okraTables])].sort()
      const enums = [...new Set(managed.flatMap((s) => s.enums.map((e) => e.name)))].sort()
      const empty: DbSchema = { provider, tables: [], enums: [] }
      const { changes } = await diff(empty, to)
      const statements = [...dropStatements(provider, tables, enums), ...renderChanges(changes, to, empty)]
      const targetText = canonicalJSON(project.schema)
      const plan = {
        provider,
        target: project.schema,
        targetText,
        targetHash: sha256(targetText),
        from: empty,
        to,
        source: 'introspection' as const,
        state: null,
        structure: '',
        currentUpToDate: false,
        changes,
        warnings: [],
        statements: provider === 'sqlite' ? foreignKeysOffAround(statements) : statements,
      }
      rmSync(migrationPaths(config).currentSchema, { force: true })
      await applyPlan(driver, plan)
      writeCurrentSchema(config, project.schema, targetText)
      return { url: driver.displayUrl, provider, dropped: tables, created: summaries(changes), durationMs: performance.now() - started }
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

/** OKRA's own tables (`_okra_state`, `_okra_migrations`, `_okra_lock`, ...), which introspection never lists. */
async function ownTables(driver: Driver): Promise<string[]> {
  const rows =
    driver.provider === 'sqlite'
      ? await driver.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 6) = '_okra_'`)
      : await driver.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND substr(tablename, 1, 6) = '_okra_'`)
  return rows.map((r) => r.name)
}

const id = (name: string) => `"${name.replace(/"/g, '""')}"`

function dropStatements(provider: Provider, tables: string[], enums: string[]): Statement[] {
  if (provider === 'sqlite') return tables.map((t) => sql(`DROP TABLE IF EXISTS ${id(t)}`))
  return [
    // CASCADE drops other tables' foreign keys into these tables (never their rows).
    ...tables.map((t) => sql(`DROP TABLE IF EXISTS ${id(t)} CASCADE`)),
    ...enums.map((e) => sql(`DROP TYPE IF EXISTS ${id(e)}`)),
    sql(`DROP FUNCTION IF EXISTS ${id(UPDATED_AT_FUNCTION)}()`),
    sql(`DROP SCHEMA IF EXISTS ${id(BACKUP_SCHEMA)} CASCADE`),
  ]
}

/** SQLite: with foreign keys on, dropping a parent would delete rows of other tables through ON DELETE CASCADE. */
function foreignKeysOffAround(statements: Statement[]): Statement[] {
  return [outsideTransaction('PRAGMA foreign_keys = OFF'), ...statements, outsideTransaction('PRAGMA foreign_keys = ON')]
}

export const command: CommandWiring<ResetResult> = {
  description:
    'Drops every table OKRA manages (the schema\'s, those it was last synced to, enum types, triggers, _okra_* tables, okra_backup) and creates them again from the schema. Asks first; without a terminal, and in the production environment, it needs --force.',
  flags: {
    force: { type: 'boolean', description: 'reset without asking (also in the production environment)' },
  },
  run: (context, flags) =>
    reset({
      ...configOptions(context),
      force: flags.force === true,
      confirm: (question) => context.terminal.confirm(question, { flag: '--force' }),
    }),
  printText(result, { stdout }) {
    for (const line of result.created) stdout.line(line)
    stdout.line(`${stdout.paint.cyan('✓')} Reset ${result.url}: dropped ${result.dropped.length} table${result.dropped.length === 1 ? '' : 's'}, created ${result.created.length} in ${Math.round(result.durationMs)} ms`)
  },
  toJSON: (result) => ({ ok: true, ...result, durationMs: Math.round(result.durationMs * 10) / 10 }),
}
