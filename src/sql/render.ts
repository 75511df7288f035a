/**
 * One entry point for the commands: the statements that apply `changes` (from `diff(from, to)`) on
 * the provider of `to`. Run them with `transactionParts` (statement.ts).
 */
import type { Change } from '../diff/changes'
import type { DbSchema } from '../schema/physical-types'
import { renderPostgres } from './postgres/render'
import { renderSqlite } from './sqlite/render'
import type { Statement } from './statement'

export function renderChanges(changes: readonly Change[], to: DbSchema, from: DbSchema): Statement[] {
  return to.provider === 'postgres' ? renderPostgres(changes) : renderSqlite(changes, to, from)
}
