/**
 * Required fields over rows that have no value for them: a field made required where rows hold NULL,
 * or a required field added to a table with rows, with no default to fill them. The database refuses
 * such a change on those rows whatever the user consents to (`--accept-data-loss` cannot help), so a
 * sync refuses it before it changes anything (no statement, no backup) and says the ways out.
 */
import type { Change } from '../diff/index'
import { OkraError } from '../errors'
import { quoteIdentifier } from '../sql/quote'
import type { DataAtRisk } from './consent'

/** Throws a MissingValuesError when a change of `atRisk` needs values that rows do not have. */
export function refuseMissingValues(atRisk: readonly DataAtRisk[]): void {
  const missing = atRisk.filter((r) => r.risk.refusal === 'missing-values')
  if (missing.length > 0) throw new MissingValuesError(missing)
}

/** The migration that was about to make such a change (`migrate:up`), rather than a sync. */
export interface MigrationContext {
  id: string
  /** The migration's folder, relative to the root. */
  folder: string
  /** Its own SQL file ran and failed on those rows (rolled back), rather than being stopped before it ran. */
  failed?: boolean
}

export class MissingValuesError extends OkraError {
  override name = 'MissingValuesError'
  constructor(
    readonly missing: DataAtRisk[],
    readonly migration?: MigrationContext,
  ) {
    const [first] = missing
    const lead = !migration
      ? 'Sync stopped, nothing was changed'
      : migration.failed
        ? `Migration ${migration.id} failed and was rolled back`
        : `Migration ${migration.id} stopped before any of its SQL ran`
    super(
      `${lead}: ${missing.length === 1 ? 'a required field has' : 'required fields have'} no value in existing rows:\n${missing.map((m) => `  ${problem(m)}`).join('\n')}`,
      migration ? migrationFixes(first!, migration) : fixes(first!),
    )
  }
}

/** Only the risks that refuse (a required column over rows without a value), of the destructive changes that have them. */
export function missingValueChanges(changes: readonly Change[]): Change[] {
  const out: Change[] = []
  for (const change of changes) {
    if (change.safety.level !== 'destructive') continue
    const risks = change.safety.risks.filter((r) => r.refusal === 'missing-values')
    if (risks.length > 0) out.push({ ...change, safety: { level: 'destructive', risks } })
  }
  return out
}

interface Target {
  model: string
  field: string
  table: string
  column: string
  type: string
  /** Made required (rows hold NULL), or added as required (rows have no value at all). */
  added: boolean
}

function targetOf(change: Change): Target | undefined {
  if (change.kind === 'alterColumn') {
    return { model: change.model, field: change.field, table: change.table, column: change.to.name, type: change.to.logicalType ?? change.to.type, added: false }
  }
  if (change.kind === 'addColumn') {
    return { model: change.model, field: change.field, table: change.table, column: change.column.name, type: change.column.logicalType ?? change.column.type, added: true }
  }
  return undefined
}

function rows(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'row' : 'rows'}`
}

function problem({ change, count }: DataAtRisk): string {
  const t = targetOf(change)
  if (!t) return `${rows(count)} would have no value`
  return t.added
    ? `field '${t.field}' (${t.type}!) cannot be added to ${t.model}: ${t.table} has ${rows(count)}, which would have no value in it, and it has no default`
    : `field '${t.field}' on ${t.model} cannot be made required: ${rows(count)} of ${t.table} ${count === 1 ? 'holds' : 'hold'} NULL in ${t.column}, and it has no default to fill them`
}

/** A default that suits the type, for the example. */
const EXAMPLE_DEFAULT: Record<string, string> = {
  ID: 'uuid',
  String: '""',
  Int: '0',
  BigInt: '0',
  Float: '0',
  Decimal: '0',
  Boolean: 'false',
  DateTime: 'now',
  JSON: '"{}"',
  Bytes: '""',
}

/** A migration is shared history: the ways out fill the rows, or replace the migration while nobody has it yet. */
function migrationFixes({ change }: DataAtRisk, migration: MigrationContext): string {
  const t = targetOf(change)
  const fill = t ? `UPDATE ${quoteIdentifier(t.table)} SET ${quoteIdentifier(t.column)} = <value> WHERE ${quoteIdentifier(t.column)} IS NULL` : 'an UPDATE that gives those rows a value'
  return [
    `one of:`,
    `  - fill the rows in this database first (${fill}), then run okra migrate:up again`,
    `  - write the migration's SQL yourself: ${migration.folder}/migration.sql, filling the rows before it makes the column required`,
    `  - if no database has applied ${migration.id} yet: delete its folder, give the field a default${t ? ` (${t.field}: ${t.type}! @default(${EXAMPLE_DEFAULT[t.type] ?? '<VALUE>'}))` : ''} or keep it optional, and snapshot again`,
  ].join('\n')
}

function fixes({ change }: DataAtRisk): string {
  const t = targetOf(change)
  if (!t) return 'Give the field a default, fill the rows first, or keep the field optional.'
  const value = EXAMPLE_DEFAULT[t.type] ?? '<VALUE>'
  const [table, column] = [quoteIdentifier(t.table), quoteIdentifier(t.column)]
  const fill = `UPDATE ${table} SET ${column} = <value> WHERE ${column} IS NULL`
  return [
    `one of:`,
    `  - add a default, which fills those rows: ${t.field}: ${t.type}! @default(${value})`,
    t.added
      ? `  - add it optional first (${t.field}: ${t.type}?), sync, fill the rows (${fill}), then make it required`
      : `  - fill the rows first, then sync again: ${fill}`,
    `  - keep the field optional: ${t.field}: ${t.type}?`,
  ].join('\n')
}
