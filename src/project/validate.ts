/**
 * `validate()`: loads the config, parses and checks every schema file, and reports every diagnostic
 * (warnings too). Checking the database connection is a separate, injected step (`connect`), so
 * validation works before any database package is involved.
 */
import type { ResolvedConfig } from '../config/types'
import { maskUrl } from '../config/url'
import { databaseTarget, dialectOf, openDriver } from '../dialects/index'
import { OkraError } from '../errors'
import type { Diagnostic } from '../language/diagnostics'
import { compatibilityWarnings } from './compatibility'
import { type LoadProjectOptions, type Project, loadProject } from './load'

/** Opens and closes a connection to the configured database; resolves to a short description of it, throws an OkraError when it cannot connect. */
export type ConnectionCheck = (database: ResolvedConfig['database']) => Promise<string>

export interface ValidateOptions extends LoadProjectOptions {
  /** A project already loaded (skips loading). */
  project?: Project
  /** When given, the configured database is connected to as part of validation. */
  connect?: ConnectionCheck
}

export interface DatabaseCheck {
  /** The URL with any password masked. */
  url: string
  connected: boolean
  /** What the check found: the description, or why it could not connect. */
  message: string
}

export interface ValidateResult {
  /** No schema error and, when checked, the database connected. */
  ok: boolean
  /** The schema files read, relative to the root. */
  files: string[]
  diagnostics: Diagnostic[]
  errors: number
  warnings: number
  /** Counts of the valid schema; null when it has errors. */
  models: number | null
  enums: number | null
  /** Null when no connection check was made. */
  database: DatabaseCheck | null
  /** Where environments use different providers: one warning per schema feature that behaves differently. */
  compatibility: string[]
}

export async function validate(options: ValidateOptions = {}): Promise<ValidateResult> {
  const project = options.project ?? (await loadProject(options))
  const { schema, diagnostics, files } = project
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const database = options.connect ? await checkConnection(options.connect, project.config.database) : null
  return {
    ok: errors === 0 && (database?.connected ?? true),
    files,
    diagnostics,
    errors,
    warnings: diagnostics.length - errors,
    models: schema ? schema.models.length : null,
    enums: schema ? schema.enums.length : null,
    database,
    compatibility: schema ? compatibilityWarnings(schema, project.config.database.providers).map((w) => w.message) : [],
  }
}

async function checkConnection(connect: ConnectionCheck, database: ResolvedConfig['database']): Promise<DatabaseCheck> {
  const url = maskUrl(database.url)
  try {
    return { url, connected: true, message: maskUrl(await connect(database)) }
  } catch (error) {
    if (!(error instanceof OkraError)) throw error
    return { url, connected: false, message: maskUrl(error.message) }
  }
}

/**
 * Whether there is a database to connect to: a server is always tried; a SQLite file only once it
 * exists (opening it would create it, and validating must not create a database; `db:sync` does).
 */
export function hasDatabase(config: ResolvedConfig): boolean {
  const target = databaseTarget(config.database.url, config.root)
  return dialectOf(target.provider).exists(target)
}

/** The real check: open the database and report its version. */
export const connectionCheck: ConnectionCheck = async (database) => {
  const driver = await openDriver(database.url)
  try {
    return await driver.version()
  } finally {
    await driver.close()
  }
}
