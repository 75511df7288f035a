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

export class MissingValuesError extends OkraError {
  override name = 'MissingValuesError'
  constructor(readonly missing: DataAtRisk[]) {
    const [first] = missing
    super(`Sync stopped, nothing was changed: ${missing.length === 1 ? 'a required field has' : 'required fields have'} no value in existing rows:\n${missing.map((m) => `  ${problem(m)}`).join('\n')}`, fixes(first!))
  }
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
