/**
 * `pull()`: a database that exists, read into schema text (`okra db:pull`, Prisma's `db pull`, Drizzle's
 * `pull`). Introspects the configured database, writes the whole schema into one `*.okra.gql` file
 * (src/codegen/okra-schema.ts), then checks the result the way a user would: compiled and compared with
 * the database, it should need no change (what remains is listed). `baseline` also starts the migration
 * history from it (src/migrations/baseline.ts).
 */
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { loadConfig } from '../config/load'
import { findFiles, hasMagic, matchGlob } from '../config/glob'
import type { LoadConfigOptions, ResolvedConfig } from '../config/types'
import { type PullNote, okraSchemaText } from '../codegen/okra-schema'
import { type Driver, openDriver } from '../dialects/index'
import { diff, summarize } from '../diff/index'
import { OkraError } from '../errors'
import { displayPath, writeFileAtomic } from '../fs'
import { formatDiagnostic } from '../language/diagnostics'
import { type Baseline, writeBaseline } from '../migrations/baseline'
import { compileSchema } from '../schema/compile'
import { toPhysical } from '../schema/physical'
import type { DbSchema, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'

const DEFAULT_FILE = 'models.okra.gql'

export interface PullOptions extends LoadConfigOptions {
  /** Overwrite the schema file when it exists. */
  force?: boolean
  /** Also write a baseline migration and record it applied in the database. */
  baseline?: boolean
  /** An open database to read (left open); default: the configured one, opened and closed. */
  driver?: Driver
  /** The time the baseline folder is named after (tests). */
  now?: Date
}

export interface PullResult {
  /** The database, password masked. */
  url: string
  provider: Provider
  /** The schema file written, relative to the root. */
  file: string
  tables: number
  models: number
  enums: number
  /** What the schema could not express (also comments in the file). */
  notes: PullNote[]
  /** What `db:sync` would still change, one line each; empty when the schema is the database. */
  remaining: string[]
  /** Errors of the written schema, formatted (none expected: then nothing checks it). */
  schemaErrors: string[]
  introspectMs: number
  writeMs: number
  baseline?: Baseline
}

export async function pull(options: PullOptions = {}): Promise<PullResult> {
  const config = await loadConfig(options)
  const file = targetFile(config, options.force === true)
  const driver = options.driver ?? (await openDriver(config.database.url, { root: config.root }))
  try {
    const started = performance.now()
    const db = await driver.introspect()
    const introspected = performance.now()
    const { text, models, enums, notes } = okraSchemaText(db, driver.dialect.types, {
      header: [
        `Pulled by okra db:pull from ${driver.displayUrl}. Edit it freely: it is your schema now.`,
        'Relation fields without a key (lists, back references) have no column: rename them as you like.',
      ],
    })
    writeFileAtomic(resolve(config.root, file), text)
    const writeMs = performance.now() - introspected
    const checked = await check(file, text, db, driver)
    const result: PullResult = {
      url: driver.displayUrl,
      provider: driver.provider,
      file,
      tables: db.tables.length,
      models,
      enums,
      notes,
      remaining: checked.remaining,
      schemaErrors: checked.errors,
      introspectMs: introspected - started,
      writeMs,
    }
    if (options.baseline) {
      if (!checked.schema) throw new OkraError(`${file} has errors, so no baseline was written`, 'Fix the schema (see above), then take the first migration with `okra db:migrate:snapshot`.')
      result.baseline = await writeBaseline(config, checked.schema, driver, options.now)
    }
    return result
  } finally {
    if (!options.driver) await driver.close()
  }
}

/**
 * The file to write: the one schema file the config names (when it names one file, not a glob), else
 * `models.okra.gql`. An existing schema file is overwritten only with `force`, and never when other schema
 * files exist (their models would be declared twice).
 */
function targetFile(config: ResolvedConfig, force: boolean): string {
  const { schemas } = config.database
  const [only, ...more] = schemas
  const file = only !== undefined && more.length === 0 && !hasMagic(only) ? displayPath(config.root, resolve(config.root, only)) : DEFAULT_FILE
  if (file === DEFAULT_FILE && !schemas.some((pattern) => matchGlob(pattern.replace(/^\.\//, ''), file))) {
    throw new OkraError(
      `database.schemas (${schemas.join(', ')}) names no single file for db:pull to write`,
      `Set database.schemas to the one file to write (for example ["./${DEFAULT_FILE}"]), then pull again.`,
    )
  }
  const existing = findFiles(config.root, config.database.schemas).files
  const others = existing.filter((f) => f !== file)
  if (others.length > 0) {
    throw new OkraError(
      `Schema files exist (${others.join(', ')}): db:pull writes the whole schema into ${file}, and their models would be declared twice`,
      'Move them out of database.schemas (or delete them), then pull again.',
    )
  }
  if (existing.includes(file) && !force) {
    throw new OkraError(`${file} exists: db:pull writes the whole schema from the database into it`, 'Run it again with --force to overwrite it (your version control has the old one).')
  }
  return file
}

/** The written schema compiled and compared with the database it came from. */
async function check(path: string, text: string, db: DbSchema, driver: Driver): Promise<{ schema: Schema | null; remaining: string[]; errors: string[] }> {
  const { schema, diagnostics } = compileSchema([{ path, text }])
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d))
  if (!schema) return { schema, remaining: [], errors }
  const { types } = driver.dialect
  const { changes } = await diff(db, toPhysical(schema, types), { types })
  const remaining = changes.map((c) => summarize({ ...c, implied: undefined }) ?? c.kind)
  return { schema, remaining, errors }
}
