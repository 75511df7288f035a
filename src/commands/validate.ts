/**
 * `okra db:validate`: loads the config, parses and checks every schema file, and reports every
 * diagnostic (warnings too). Checking the database connection is a separate, injected step
 * (`connect`), so this command works before any database package is involved.
 */
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import type { ResolvedConfig } from '../config/types'
import { existsSync } from 'node:fs'
import { maskUrl, sqlitePath } from '../config/url'
import { OkraError } from '../errors'
import { type Diagnostic, diagnosticToJSON, formatDiagnostic } from '../language/diagnostics'
import { type LoadProjectOptions, type Project, loadProject } from '../project'
import { plural } from '../terminal'

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
 * Whether there is a database to connect to: any PostgreSQL URL; a SQLite file only once it exists
 * (opening it would create it, and validating must not create a database; `db:sync` does).
 */
function hasDatabase(database: ResolvedConfig['database']): boolean {
  if (database.provider === 'postgres') return true
  const file = sqlitePath(database.url)
  return file !== ':memory:' && existsSync(file)
}

/** The real check: open the database, run `select 1`, report the server's version. */
export const connectionCheck: ConnectionCheck = async (database) => {
  const { openDriver } = await import('../drivers/index')
  const driver = await openDriver(database.url)
  try {
    if (driver.provider === 'sqlite') {
      const [row] = await driver.query<{ version: string }>('SELECT sqlite_version() AS version')
      return `SQLite ${row!.version}`
    }
    const [row] = await driver.query<{ version: string }>(`SELECT current_setting('server_version') AS version`)
    return `PostgreSQL ${row!.version.split(' ')[0]}`
  } finally {
    await driver.close()
  }
}


export const command: CommandWiring<ValidateResult> = {
  description: 'Parses and validates every schema file named by database.schemas, printing every error and warning with its location.',
  flags: {},
  async run(context) {
    const project = await loadProject(configOptions(context))
    const connect = hasDatabase(project.config.database) ? connectionCheck : undefined
    return validate({ project, connect })
  },
  printText(result, { stdout, stderr }) {
    for (const d of result.diagnostics) stderr.line(formatDiagnostic(d, stderr.paint) + '\n')
    const files = plural(result.files.length, 'file')
    const warnings = result.warnings > 0 ? ` (${plural(result.warnings, 'warning')})` : ''
    if (result.errors > 0) {
      stderr.line(stderr.paint.red(`✗ ${plural(result.errors, 'error')} in ${files}`) + warnings)
    } else {
      stdout.line(`${stdout.paint.cyan('✓')} ${plural(result.models ?? 0, 'model')}, ${plural(result.enums ?? 0, 'enum')} in ${files}${warnings}`)
    }
    if (result.database) {
      const { connected, url, message } = result.database
      if (connected) stdout.line(`${stdout.paint.cyan('✓')} connected to ${url}: ${message}`)
      else stderr.line(stderr.paint.red(`✗ cannot connect to ${url}: ${message}`))
    }
  },
  toJSON: (result) => ({
    ok: result.ok,
    files: result.files,
    diagnostics: result.diagnostics.map(diagnosticToJSON),
    models: result.models,
    enums: result.enums,
    database: result.database,
  }),
  exitCode: (result) => (result.ok ? 0 : 1),
}
