/**
 * `lintMigrations()`: the pending migrations of the environment's database (not in `_okra_migrations`),
 * or all of them, linted for the environment's provider with the SQL `migrate:up` would run. A database
 * that does not exist yet has every migration pending; one that cannot be reached (CI without a database)
 * too, and the result says so. `--all` opens no database.
 */
import { type Dialect, dialectOf } from '../../dialects/index'
import { maskUrl } from '../../dialects/index'
import { hasDatabase } from '../../project/validate'
import type { Provider } from '../../schema/physical-types'
import { toScript } from '../../sql/statement'
import type { ResolvedConfig } from '../../config/types'
import { join } from 'node:path'
import { type MigrationFolder, folderSchema, folderSchemaReader, migrationIds, readMigrationFolder } from '../folders'
import { readHistory } from '../history'
import { isNoTransaction, sqlFileFor, upChanges } from '../plan'
import { chainShape, readChainLinks } from '../chain'
import { type MigrationsOptions, openSession, withDatabase } from '../session'
import { type LintFinding, lintMigration } from './index'

export interface LintOptions extends MigrationsOptions {
  /** Every migration, not only the pending ones; opens no database. */
  all?: boolean
}

export interface LintResult {
  provider: Provider
  /** The environment's database, password masked. */
  url: string
  scope: 'pending' | 'all'
  /** How pending was decided: `exists` (its `_okra_migrations`), `missing` (nothing applied yet), `unreachable`, or `not-read` (--all). */
  database: 'exists' | 'missing' | 'unreachable' | 'not-read'
  /** Why the database could not be read (masked), for `unreachable`. */
  databaseError?: string
  /** The migrations linted, in order. */
  migrations: string[]
  findings: LintFinding[]
  errors: number
  warnings: number
}

export async function lintMigrations(options: LintOptions = {}): Promise<LintResult> {
  const session = await openSession(options)
  const { config, folders } = session
  const dialect = dialectOf(config.database.provider)
  const url = maskUrl(config.database.url)
  let database: LintResult['database'] = 'not-read'
  let databaseError: string | undefined
  let selected = folders
  if (!options.all) {
    if (!options.driver && config.database.url === '') {
      // Loaded without needing a URL (CI often has none): a `${VAR}` in it is not set.
      database = 'unreachable'
      databaseError = 'its URL is not set: a variable it names is missing'
    } else if (!options.driver && !hasDatabase(config)) database = 'missing'
    else {
      try {
        const applied = new Set((await withDatabase(config, options, readHistory)).map((row) => row.id))
        selected = folders.filter((f) => !applied.has(f.id))
        database = 'exists'
      } catch (error) {
        database = 'unreachable'
        databaseError = maskUrl(error instanceof Error ? error.message : String(error))
      }
    }
  }
  const findings: LintFinding[] = []
  const schemaOf = folderSchemaReader()
  for (const folder of selected) findings.push(...(await lintFolder(folders, folders.indexOf(folder), dialect, schemaOf)))
  return {
    provider: dialect.provider,
    url,
    scope: options.all ? 'all' : 'pending',
    database,
    ...(databaseError ? { databaseError } : {}),
    migrations: selected.map((f) => f.id),
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
  }
}

/**
 * The findings of `folders[index]`, with the SQL `migrate:up` would run on `dialect`'s database: its SQL
 * file for that provider, else the SQL derived from its schemas. Read without planning the run, which
 * refuses some files (stray transaction control) that lint is there to report.
 */
export async function lintFolder(folders: readonly MigrationFolder[], index: number, dialect: Dialect, schemaOf = folderSchema): Promise<LintFinding[]> {
  const folder = folders[index]!
  const step = await upChanges(folders, index, dialect, schemaOf)
  const derivedScript = toScript(step.statements)
  const base = { migration: folder.id, provider: dialect.provider, before: step.from, changes: step.changes }
  const file = sqlFileFor(folder, dialect.provider)
  if (!file) return lintMigration({ ...base, file: null, script: derivedScript, transactional: true })
  const script = folder.contents[file.name]!.replace(/\r\n?/g, '\n')
  return lintMigration({ ...base, file: `${folder.shownDir}/${file.name}`, script, transactional: !isNoTransaction(script), derivedScript })
}

/** The findings of one migration folder by id (the one `db:migrate:snapshot` just wrote), for the configured provider. */
export async function lintMigrationById(config: ResolvedConfig, id: string): Promise<LintFinding[]> {
  const dir = config.database.migrations.dir
  const ids = migrationIds(dir)
  const index = ids.indexOf(id)
  if (index < 0) return []
  // Only this folder and its parent (by the hash its migration.json records): a long history is not read again after every snapshot.
  const shape = chainShape(readChainLinks(dir, config.root, ids))
  const parent = shape.parentOf.get(id)
  const folders = [...(parent ? [parent.id] : []), id].map((name) => readMigrationFolder(join(dir, name), config.root))
  return lintFolder(folders, folders.length - 1, dialectOf(config.database.provider))
}
