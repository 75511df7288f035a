/** Small helpers for the checker tests: compile inline schema text and look at the result. */
import { formatDiagnostic } from '../../src/language/diagnostics'
import { lineColumn } from '../../src/language/source'
import { compileSchema } from '../../src/schema/compile'
import type { Field, Model, Schema } from '../../src/schema/types'

function sources(texts: string[]) {
  return texts.map((text, i) => ({ path: texts.length === 1 ? 'schema.okra.gql' : `schema${i + 1}.okra.gql`, text }))
}

/** The Schema of these files (one per argument); fails the test with the printed diagnostics on error. */
export function compile(...texts: string[]): Schema {
  const { schema, diagnostics } = compileSchema(sources(texts))
  if (!schema) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n\n'))
  return schema
}

/** Every diagnostic as `line:col message` (files: `path line:col message` when several). */
export function problems(...texts: string[]): string[] {
  const { schema, diagnostics } = compileSchema(sources(texts))
  if (diagnostics.some((d) => d.severity === 'error') !== (schema === null)) throw new Error('schema must be null iff there is an error')
  return diagnostics.map((d) => {
    const { line, column } = lineColumn(d.location.source.text, d.location.start)
    return `${texts.length > 1 ? d.location.source.path + ' ' : ''}${line}:${column} ${d.message}`
  })
}

/** The hints of every diagnostic, in order. */
export function hints(...texts: string[]): (string | undefined)[] {
  return compileSchema(sources(texts)).diagnostics.map((d) => d.hint)
}

export function model(schema: Schema, name: string): Model {
  const found = schema.models.find((m) => m.name === name)
  if (!found) throw new Error(`no model ${name} in ${schema.models.map((m) => m.name).join(', ')}`)
  return found
}

export function field(schema: Schema, modelName: string, name: string): Field {
  const found = model(schema, modelName).fields.find((f) => f.name === name)
  if (!found) throw new Error(`no field ${modelName}.${name}`)
  return found
}
