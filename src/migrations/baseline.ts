/**
 * A baseline: the first migration of a history that starts from a database which already exists (what
 * `okra db:pull --baseline` writes). Its schema.json is the whole schema, so `migrate:up` on an empty
 * database creates everything; on the database it was pulled from it is recorded as applied at once, so
 * `migrate:up` there starts after it (Prisma's baselining: `migrate resolve --applied 0_init`).
 */
import type { ResolvedConfig } from '../config/types'
import type { Driver } from '../dialects/index'
import { OkraError } from '../errors'
import { displayPath, writeFileAtomic } from '../fs'
import { migrationPaths } from '../project/paths'
import { canonicalJSON } from '../schema/canonical'
import type { Schema } from '../schema/types'
import { SCHEMA_FILE, migrationIds } from './folders'
import { migrateResolve } from './resolve'
import { wantsSql } from './snapshot'
import { migrationSqlFiles } from './sql-files'
import { writeMigrationFolder } from './write'

export interface Baseline {
  /** The folder's name. */
  id: string
  /** Relative to the project root. */
  folder: string
  files: string[]
}

/** Writes the baseline of `schema`, moves `migrations/snapshot/` to it, and records it applied in `driver`'s database. */
export async function writeBaseline(config: ResolvedConfig, schema: Schema, driver: Driver, now = new Date()): Promise<Baseline> {
  const paths = migrationPaths(config)
  const existing = migrationIds(paths.dir)
  if (existing.length > 0) {
    throw new OkraError(
      `${displayPath(config.root, paths.dir)}/ already holds ${existing.length} migration${existing.length === 1 ? '' : 's'}: a baseline starts a history, so none was written`,
      'Pull without --baseline and take the next migration with `okra db:migrate:snapshot`; or record a migration the database already has with `okra migrate:resolve --applied ID`.',
    )
  }
  const text = canonicalJSON(schema)
  const files: Record<string, string> = { [SCHEMA_FILE]: text }
  if (wantsSql(config)) {
    const { provider, providers } = config.database
    Object.assign(files, await migrationSqlFiles(null, schema, providers.includes(provider) ? providers : [...providers, provider].sort(), []))
  }
  const id = writeMigrationFolder(paths.dir, files, now, 'baseline', { parent: null, destroys: [] })
  writeFileAtomic(paths.snapshotSchema, text)
  await migrateResolve({ loadedConfig: config, driver, applied: id })
  return { id, folder: displayPath(config.root, `${paths.dir}/${id}`), files: Object.keys(files).sort() }
}
