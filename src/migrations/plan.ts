/**
 * What running one migration means on one provider: which SQL (a reviewed file wins over SQL derived from
 * the schema states), and how it is cut into the parts that run outside and inside the transaction.
 *
 * Markers a SQL file may hold, each on a line of its own:
 * - `-- okra:provider postgres`: the file is for that provider only (generated files carry it);
 * - `-- okra:no-transaction`: the file runs statement by statement outside any transaction (for
 *   `CREATE INDEX CONCURRENTLY`); it is recorded as failed before it starts, and as applied once it ends.
 */
import type { Dialect } from '../dialects/index'
import { OkraError } from '../errors'
import type { Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { type LocatedStatement, joinStatements, splitStatements } from '../sql/sql-text'
import type { Statement } from '../sql/statement'
import { toScript } from '../sql/statement'
import { statementsForTransaction } from '../sql/transaction-control'
import { type DerivedStep, deriveStep, invertRenames } from './derive'
import { DOWN_FILE, type MigrationFolder, folderRenames, folderSchema, sqlFileName } from './folders'
import { chainShape, folderLinks } from './chain'

export interface ScriptPart {
  /** Statements, padded with newlines so that a failure's line number is the line in `script`. */
  text: string
  statements: number
  /** The line in `script` where each statement starts. */
  lines: number[]
}

export interface MigrationPlan {
  id: string
  direction: 'up' | 'down'
  /** Where the SQL comes from: a file of the folder (relative to the root), or the schema states. */
  source: { kind: 'file'; file: string } | { kind: 'derived'; from: string; to: string }
  /** The whole SQL, as shown by --dry-run. */
  script: string
  /** False for `-- okra:no-transaction`: everything runs in `before`, statement by statement. */
  transactional: boolean
  before: ScriptPart
  inside: ScriptPart
  after: ScriptPart
  /** Set when derived: the changes, for summaries and data-loss warnings. */
  derived?: DerivedStep
  /** Something the user should know (a SQL file for another provider that was passed over). */
  notes: string[]
}

const PROVIDER_MARKER = /^[ \t]*--[ \t]*okra:provider[ \t]+([A-Za-z]+)[ \t]*$/m
const NO_TRANSACTION_MARKER = /^[ \t]*--[ \t]*okra:no-transaction[ \t]*$/m

/** The provider a SQL file says it is for, if it says. */
export function fileProvider(text: string): string | undefined {
  return PROVIDER_MARKER.exec(text)?.[1]?.toLowerCase()
}

export function isNoTransaction(text: string): boolean {
  return NO_TRANSACTION_MARKER.test(text)
}

/** The SQL file of the folder for `provider`, if any: `migration.<provider>.sql`, else a `migration.sql` not marked for another provider. */
export function sqlFileFor(folder: MigrationFolder, provider: Provider): { name: string; passedOver?: string } | undefined {
  const own = sqlFileName(provider)
  if (folder.contents[own] !== undefined) return { name: own }
  const plain = folder.contents[sqlFileName()]
  if (plain === undefined) return undefined
  const marked = fileProvider(plain)
  if (marked === undefined || marked === provider) return { name: sqlFileName() }
  return undefined
}

/** Why files of the folder were passed over (they are for another provider). */
function passedOverNotes(folder: MigrationFolder, provider: Provider, used: string | undefined): string[] {
  return Object.keys(folder.contents)
    .filter((name) => /^migration(\.[a-z]+)?\.sql$/.test(name) && name !== used)
    .map((name) => {
      const forProvider = /^migration\.([a-z]+)\.sql$/.exec(name)?.[1] ?? fileProvider(folder.contents[name]!) ?? '?'
      return `${folder.shownDir}/${name} is for ${forProvider}, not ${provider}: not applied`
    })
}

/** The plan to apply `folders[index]` on `dialect`'s database (`schemaOf`: folderSchemaReader() when planning several). */
export async function planUp(folders: readonly MigrationFolder[], index: number, dialect: Dialect, schemaOf = folderSchema): Promise<MigrationPlan> {
  const folder = folders[index]!
  const file = sqlFileFor(folder, dialect.provider)
  const notes = passedOverNotes(folder, dialect.provider, file?.name)
  if (file) return fromFile(folder, 'up', file.name, dialect, notes)
  const previous = parentFolder(folders, folder)
  const step = await deriveStep(previous ? schemaOf(previous) : null, schemaOf(folder), dialect, folderRenames(folder))
  return fromStep(folder, 'up', step, dialect, previous?.id ?? '(empty database)', folder.id, notes)
}

/** The plan to revert `folders[index]` on `dialect`'s database: its down.sql when the user wrote one, else derived back to the previous state. */
export async function planDown(folders: readonly MigrationFolder[], index: number, dialect: Dialect): Promise<MigrationPlan> {
  const folder = folders[index]!
  if (folder.contents[DOWN_FILE] !== undefined) {
    const marked = fileProvider(folder.contents[DOWN_FILE]!)
    if (marked === undefined || marked === dialect.provider) return fromFile(folder, 'down', DOWN_FILE, dialect, [])
  }
  const previous = parentFolder(folders, folder)
  const before: Schema | null = previous ? folderSchema(previous) : null
  const step = await deriveStep(folderSchema(folder), before, dialect, invertRenames(folderRenames(folder)))
  return fromStep(folder, 'down', step, dialect, folder.id, previous?.id ?? '(empty database)', [])
}

/** The changes the migration made on the way up (for warnings about what a revert cannot bring back). */
export async function upChanges(folders: readonly MigrationFolder[], index: number, dialect: Dialect, schemaOf = folderSchema): Promise<DerivedStep> {
  const previous = parentFolder(folders, folders[index]!)
  return deriveStep(previous ? schemaOf(previous) : null, schemaOf(folders[index]!), dialect, folderRenames(folders[index]!))
}

const parents = new WeakMap<readonly MigrationFolder[], Map<string, MigrationFolder | null | undefined>>()

/**
 * The folder whose schema `folder` was made from, found by the hash its migration.json records (never the
 * folder before it by name: after a merge that is another branch's migration); null for the first migration.
 */
export function parentFolder(folders: readonly MigrationFolder[], folder: MigrationFolder): MigrationFolder | null {
  let byId = parents.get(folders)
  if (!byId) {
    const shape = chainShape(folderLinks(folders))
    byId = new Map([...shape.parentOf].map(([id, link]) => [id, link ? folders.find((f) => f.id === link.id)! : link]))
    parents.set(folders, byId)
  }
  const parent = byId.get(folder.id)
  if (parent === undefined) {
    throw new OkraError(
      `Migration ${folder.id} was made from a schema that no migration folder produces: its SQL cannot be derived`,
      'Restore the missing migration folder from version control (`okra migrate:status` names the problem).',
    )
  }
  return parent
}

export function fromStep(folder: MigrationFolder, direction: 'up' | 'down', step: DerivedStep, dialect: Dialect, from: string, to: string, notes: string[]): MigrationPlan {
  const script = toScript(step.statements)
  const statements = splitStatements(script, dialect.syntax)
  const parts = cut(statements, step.statements, folder, direction)
  return { id: folder.id, direction, source: { kind: 'derived', from, to }, script, transactional: true, ...parts, derived: step, notes }
}

function fromFile(folder: MigrationFolder, direction: 'up' | 'down', name: string, dialect: Dialect, notes: string[]): MigrationPlan {
  const script = folder.contents[name]!.replace(/\r\n?/g, '\n')
  const file = `${folder.shownDir}/${name}`
  const all = splitStatements(script, dialect.syntax)
  const source = { kind: 'file' as const, file }
  if (isNoTransaction(script)) {
    return { id: folder.id, direction, source, script, transactional: false, before: part(all), inside: part([]), after: part([]), notes }
  }
  const statements = statementsForTransaction(all, file)
  // Statements with effect only outside a transaction (SQLite's foreign_keys pragma) run before or after it.
  const flags: Statement[] = statements.map((s) => ({ sql: s.text, transactional: !dialect.runsOutsideTransaction(s.text) }))
  return { id: folder.id, direction, source, script, transactional: true, ...cut(statements, flags, folder, direction, file), notes }
}


/** `before` / `inside` / `after` as transactionParts cuts them, each keeping its lines. */
function cut(located: LocatedStatement[], flags: readonly Statement[], folder: MigrationFolder, direction: string, file?: string) {
  if (located.length !== flags.length) throw new Error(`Migration ${folder.id}: ${flags.length} statements rendered, ${located.length} read back`)
  const first = flags.findIndex((s) => s.transactional)
  if (first < 0) return { before: part(located), inside: part([]), after: part([]) }
  let last = flags.length - 1
  while (!flags[last]!.transactional) last--
  const stray = flags.slice(first, last + 1).findIndex((s) => !s.transactional)
  if (stray >= 0) {
    const at = located[first + stray]!
    throw new OkraError(
      `${file ?? `The ${direction} SQL of ${folder.shownDir}`}, line ${at.line}: ${at.text} sits between statements that run in the transaction, where it has no effect`,
      'Move it to the start or the end of the file (SQLite applies PRAGMA foreign_keys only outside a transaction).',
    )
  }
  return { before: part(located.slice(0, first)), inside: part(located.slice(first, last + 1)), after: part(located.slice(last + 1)) }
}

function part(statements: readonly LocatedStatement[]): ScriptPart {
  return { text: joinStatements(statements), statements: statements.length, lines: statements.map((s) => s.line) }
}
