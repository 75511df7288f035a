/** Schemas from schema text, their physical models, and diffs between two schema texts, for the diff and SQL suites. */
import { type DiffOptions } from '../../src/diff/diff'
import type { Change, DiffResult } from '../../src/diff/changes'
import { formatDiagnostic } from '../../src/language/diagnostics'
import { compileSchema } from '../../src/schema/compile'
import { toPhysical } from '../../src/schema/physical'
import type { DbSchema, Provider } from '../../src/schema/physical-types'
import type { Schema } from '../../src/schema/types'
import { diffOf, typesOf } from '../helpers/dialects'

export function schemaOf(text: string): Schema {
  const { schema, diagnostics } = compileSchema([{ path: 'test.okra.gql', text }])
  if (!schema) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n\n'))
  return schema
}

export function physicalOf(text: string, provider: Provider): DbSchema {
  return toPhysical(schemaOf(text), typesOf(provider))
}

/** The empty database of a provider. */
export function empty(provider: Provider): DbSchema {
  return { provider, tables: [], enums: [] }
}

export async function diffTexts(from: string, to: string, provider: Provider, options?: Omit<DiffOptions, 'types'>): Promise<DiffResult & { from: DbSchema; to: DbSchema }> {
  const a = from.trim() ? physicalOf(from, provider) : empty(provider)
  const b = to.trim() ? physicalOf(to, provider) : empty(provider)
  return { ...(await diffOf(a, b, options)), from: a, to: b }
}

/** `kind table.detail` per change, a compact picture of a change list. */
export function kinds(changes: readonly Change[]): string[] {
  return changes.map((c) => {
    switch (c.kind) {
      case 'createTable':
      case 'dropTable':
        return `${c.kind} ${c.table.name}`
      case 'renameTable':
        return `${c.kind} ${c.from}->${c.to}`
      case 'createEnum':
      case 'dropEnum':
        return `${c.kind} ${c.enum.name}`
      case 'alterEnum':
        return `${c.kind} ${c.name} +[${c.added}] -[${c.removed}]`
      case 'addColumn':
      case 'dropColumn':
        return `${c.kind} ${c.table}.${c.column.name}`
      case 'renameColumn':
        return `${c.kind} ${c.table}.${c.from}->${c.to}`
      case 'alterColumn':
        return `${c.kind} ${c.table}.${c.to.name} [${c.aspects}]`
      case 'alterPrimaryKey':
        return `${c.kind} ${c.table} (${c.from})->(${c.to})`
      case 'createIndex':
      case 'dropIndex':
        return `${c.kind} ${c.index.name}`
      case 'renameIndex':
        return `${c.kind} ${c.from}->${c.index.name}`
      case 'addForeignKey':
      case 'dropForeignKey':
        return `${c.kind} ${c.foreignKey.name}${c.implied ? ` (${c.implied})` : ''}`
      case 'renameForeignKey':
        return `${c.kind} ${c.from}->${c.to}`
    }
  })
}
