/**
 * Hand-made indexes: those a migration's SQL file creates (`CREATE INDEX ... ` written in a migration made
 * by `db:migrate:create`, or added to a generated one) although no schema OKRA knows declares them. Sync
 * and the "already applied" check of `migrate:up` leave them alone: OKRA drops only the indexes it made
 * itself, that is, those a schema declared (the target, `migrations/current/schema.json`, the snapshot, or
 * any migration folder's `schema.json`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/types'
import { readTextIfExists } from '../fs'
import { parseSchemaJSON } from '../schema/canonical'
import { toPhysical } from '../schema/physical'
import type { TypeRules } from '../schema/physical-types'
import { migrationPaths } from './paths'

const NAME = `"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*`
/** `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [schema.]name`, at the start of a line. */
const CREATE_INDEX = new RegExp(`^[ \\t]*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(?:CONCURRENTLY\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:(?:${NAME})\\s*\\.\\s*)?(${NAME})`, 'gim')
const FOLDER = /^\d{8}_\d{6}(?:_[A-Za-z0-9_-]+)?$/
const SQL_FILE = /^(?:migration(?:\.[a-z]+)?|down)\.sql$/

/** The names of the indexes `sql` creates; unquoted names in lower case (as PostgreSQL folds them). Pure. */
export function indexesCreatedIn(sql: string): string[] {
  return [...sql.matchAll(CREATE_INDEX)].map(([, name]) => (name!.startsWith('"') ? name!.slice(1, -1).replace(/""/g, '"') : name!.toLowerCase()))
}

/** Whether `name` is one of `names` (as indexesCreatedIn lists them). */
export function namedIn(names: ReadonlySet<string>, name: string): boolean {
  return names.has(name) || names.has(name.toLowerCase())
}

/**
 * The indexes made by hand in the project's migration SQL files: created there, declared by no schema
 * state the project holds. Reads the migration folders; called only when a plan would drop an index.
 */
export function handMadeIndexes(config: ResolvedConfig, types: TypeRules): Set<string> {
  const { dir, currentSchema, snapshotSchema } = migrationPaths(config)
  if (!existsSync(dir)) return new Set()
  const created = new Set<string>()
  const schemaTexts = new Set<string>()
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !FOLDER.test(entry.name)) continue
    const folder = join(dir, entry.name)
    for (const file of readdirSync(folder)) {
      if (!SQL_FILE.test(file) || file === 'down.sql') continue
      for (const name of indexesCreatedIn(readFileSync(join(folder, file), 'utf8'))) created.add(name)
    }
    const schema = readTextIfExists(join(folder, 'schema.json'))
    if (schema !== undefined) schemaTexts.add(schema)
  }
  if (created.size === 0) return created
  for (const path of [currentSchema, snapshotSchema]) {
    const text = readTextIfExists(path)
    if (text !== undefined) schemaTexts.add(text)
  }
  for (const text of schemaTexts) {
    let declared: string[]
    try {
      declared = toPhysical(parseSchemaJSON(text, 'schema.json'), types).tables.flatMap((t) => t.indexes.map((i) => i.name))
    } catch {
      continue // a damaged state declares nothing; the commands that need it say so
    }
    for (const name of declared) {
      created.delete(name)
      created.delete(name.toLowerCase())
    }
  }
  return created
}
