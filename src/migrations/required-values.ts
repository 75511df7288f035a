/**
 * A migration that makes a column required (or adds a required one) over rows with no value for it, with
 * no default to fill them: the database would refuse it half-way with its own error. `migrate:up` counts
 * those rows first, on the database as it is just before that migration, and refuses with the count and
 * the ways out (src/sync/missing-values.ts), before any of the migration's SQL runs.
 *
 * Only SQL derived from schema.json is checked up front: a hand-written migration.sql may fill the rows
 * itself. When one fails, its rows are counted after the rollback, so the failure still says why.
 */
import { type Driver, DriverError } from '../dialects/index'
import { dataAtRisk } from '../sync/consent'
import { MissingValuesError, missingValueChanges } from '../sync/missing-values'
import type { MigrationFolder } from './folders'
import { type MigrationPlan, upChanges } from './plan'

/** Throws a MissingValuesError when the derived SQL of `plan` would meet rows without a value. */
export async function refuseRequiredOverNulls(driver: Driver, plan: MigrationPlan, folder: MigrationFolder): Promise<void> {
  if (plan.direction !== 'up' || !plan.derived) return
  const changes = missingValueChanges(plan.derived.changes)
  if (changes.length === 0) return
  const atRisk = await dataAtRisk(driver, changes)
  if (atRisk.length > 0) throw new MissingValuesError(atRisk, { id: folder.id, folder: folder.shownDir })
}

/**
 * After a migration from a SQL file failed (and was rolled back): the MissingValuesError that explains it,
 * with the database's own message, when its schema change meets rows without a value; else the error as it was.
 */
export async function explainFailure(error: unknown, driver: Driver, folders: readonly MigrationFolder[], index: number): Promise<unknown> {
  if (!(error instanceof DriverError) && !(error instanceof Error && error.name === 'MigrationFailedError')) return error
  try {
    const changes = missingValueChanges((await upChanges(folders, index, driver.dialect)).changes)
    if (changes.length === 0) return error
    const atRisk = await dataAtRisk(driver, changes)
    if (atRisk.length === 0) return error
    const folder = folders[index]!
    const explained = new MissingValuesError(atRisk, { id: folder.id, folder: folder.shownDir, failed: true })
    return Object.assign(explained, { message: `${explained.message}\n${(error as Error).message}` })
  } catch {
    return error
  }
}
