/**
 * Source files in, canonical Schema out: parse every file, then check them together. Pure.
 */
import type { Diagnostic } from '../language/diagnostics'
import { NameTable } from '../language/name-table'
import { parse } from '../language/parser'
import type { Source } from '../language/source'
import { check } from './check'
import { sortDiagnostics } from './rules/context'
import type { Schema } from './types'

/**
 * Every file is checked even when another has a syntax error, so one run reports every problem.
 * `schema` is null iff a diagnostic is an error.
 */
export function compileSchema(sources: Source[]): { schema: Schema | null; diagnostics: Diagnostic[] } {
  const documents = []
  const diagnostics: Diagnostic[] = []
  const names = new NameTable()
  for (const source of sources) {
    const parsed = parse(source, names)
    documents.push(parsed.document)
    diagnostics.push(...parsed.diagnostics)
  }
  const checked = check(documents)
  const all = sortDiagnostics([...diagnostics, ...checked.diagnostics])
  return { schema: all.some((d) => d.severity === 'error') ? null : checked.schema, diagnostics: all }
}
