/**
 * The checker: parsed documents (all files of one schema) in, the canonical Schema out, or every
 * problem found. Each rule lives in ./rules; this file is the order they run in.
 */
import type { DocumentNode } from '../language/ast'
import type { Diagnostic } from '../language/diagnostics'
import type { Schema } from './types'
import { buildSchema } from './rules/build'
import { CheckContext, sortDiagnostics } from './rules/context'
import { checkRequiredCycles } from './rules/cycles'
import { collectDefinitions } from './rules/definitions'
import { attachTopIndexes, finalIndexes } from './rules/indexes'
import { expandSpreads } from './rules/mixins'
import { checkDatabaseNames } from './rules/names'
import { checkOwnModels } from './rules/own-models'
import { checkRelations } from './rules/relations'
import { buildTableModels } from './rules/tables'

/** `schema` is null iff a diagnostic is an error. Diagnostics are sorted by file, then offset. */
export function check(documents: DocumentNode[]): { schema: Schema | null; diagnostics: Diagnostic[] } {
  const ctx = new CheckContext()
  const defs = collectDefinitions(ctx, documents)
  const models = checkOwnModels(ctx, defs)
  const { expansions, mixins, spreadsATable } = expandSpreads(ctx, defs, models)
  const tables = buildTableModels(ctx, defs, models, expansions, mixins, spreadsATable)
  attachTopIndexes(ctx, defs, models, tables)
  const { joinTables, requiredEdges } = checkRelations(ctx, models, tables)
  checkRequiredCycles(ctx, requiredEdges)
  const tableList = [...tables.values()]
  const finals = new Map(tableList.map((t) => [t.name, finalIndexes(t)]))
  checkDatabaseNames(ctx, tableList, joinTables, [...defs.enums.values()], finals)
  const diagnostics = sortDiagnostics(ctx.diagnostics)
  const schema = ctx.hasErrors ? null : buildSchema(defs, tableList, joinTables, finals)
  return { schema, diagnostics }
}
