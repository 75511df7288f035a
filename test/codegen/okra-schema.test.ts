/**
 * The writer behind `okra db:pull`: a database (a DbSchema as introspection gives it: no labels) to
 * schema text that compiles and maps back to the same database. Over every valid fixture, on both
 * providers: write, compile, toPhysical, diff against the database: nothing.
 */
import { describe, expect, it } from 'vitest'
import { okraSchemaText } from '../../src/codegen/okra-schema'
import { formatDiagnostic } from '../../src/language/diagnostics'
import { compileSchema } from '../../src/schema/compile'
import { toPhysical } from '../../src/schema/physical'
import type { DbSchema, Provider } from '../../src/schema/physical-types'
import { summaries } from '../../src/diff/summary'
import { diffOf, typesOf } from '../helpers/dialects'
import { validFixture, validFixtures } from '../fixtures/valid/load'

/** What introspection gives: no model, field or enum labels, no rename hints. */
export function asIntrospected(db: DbSchema): DbSchema {
  return JSON.parse(
    JSON.stringify(db, (key, value) => (['model', 'field', 'logicalType', 'label', 'renamedFrom', 'joinTable'].includes(key) ? undefined : value)),
  ) as DbSchema
}

async function roundTrip(db: DbSchema, provider: Provider): Promise<{ text: string; changes: string[]; errors: string }> {
  const types = typesOf(provider)
  const { text } = okraSchemaText(db, types)
  const { schema, diagnostics } = compileSchema([{ path: 'pulled.okra.gql', text }])
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n')
  if (!schema) return { text, changes: [], errors }
  const { changes } = await diffOf(db, toPhysical(schema, types))
  return { text, changes: changes.map((c) => summaries([{ ...c, implied: undefined }])[0] ?? c.kind), errors }
}

describe('okraSchemaText', () => {
  for (const provider of ['sqlite', 'postgres'] as const) {
    for (const fixture of validFixtures()) {
      it(`${fixture.name} on ${provider}: pulled back to a schema of the same database`, async () => {
        const { schema } = compileSchema(validFixture(fixture.name).sources)
        const db = asIntrospected(toPhysical(schema!, typesOf(provider)))
        const result = await roundTrip(db, provider)
        expect(result.errors, result.text).toBe('')
        expect(result.changes, result.text).toEqual([])
      })
    }
  }
})
