/**
 * `sync()`: makes the configured database (or `options.driver`'s) match the project's schema, directly,
 * with no migration file. What `okra db:sync` and the plugin's auto-sync run; the engine behind it
 * (plan, consent, backup, apply, record, locking) is engine.ts.
 */
import { performance } from 'node:perf_hooks'
import type { ResolvedConfig } from '../config/types'
import { type Driver, applyTimeouts, openDriver } from '../dialects/index'
import { SchemaError } from '../errors'
import { loadProject } from '../project/load'
import { oneAtATimeInProcess, runSync } from './engine'
import type { SyncOptions, SyncResult } from './types'

export { DataLossError, type DataAtRisk } from './consent'
export { SYNC_LOCK } from './engine'
export type { SyncOptions, SyncResult } from './types'

/**
 * Makes the configured database (or `options.driver`'s) match the project's schema. Throws a SchemaError
 * when the schema has errors, a DataLossError when destructive changes affect rows and nothing allowed
 * them (then nothing was changed), a DriverError when a statement fails (then everything was rolled back).
 */
export async function sync(options: SyncOptions = {}): Promise<SyncResult> {
  const started = performance.now()
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const { config } = project
  const schema = project.schema
  return oneAtATimeInProcess(config.database.url, async () => {
    const driver = options.driver ?? (await openConfiguredDriver(config))
    try {
      applyTimeouts(driver, config.database.timeouts, options)
      return await runSync(driver, config, schema, options, started)
    } finally {
      if (!options.driver) await driver.close()
    }
  })
}

function openConfiguredDriver(config: ResolvedConfig): Promise<Driver> {
  return openDriver(config.database.url, { root: config.root })
}
