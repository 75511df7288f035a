/**
 * What every rule of the checker shares: the diagnostics being collected and small helpers to
 * point at source text. Rules report through `ctx.error` and keep going, so one run finds every error.
 */
import { type Diagnostic, error, warning } from '../../language/diagnostics'
import { type Location, lineColumn } from '../../language/source'
import type { DirectiveNode } from '../../language/ast'

/** A name written in the schema (a field in `fields: [a, b]`, a `from:` string...) and where. */
export interface NameRef {
  readonly value: string
  readonly loc: Location
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = []
  private readonly remembered = new Map<string, string | undefined>()

  /** A hint computed once per key: the same typo in 5,000 places must not mean 5,000 searches. */
  remember(key: string, compute: () => string | undefined): string | undefined {
    if (!this.remembered.has(key)) this.remembered.set(key, compute())
    return this.remembered.get(key)
  }

  error(location: Location, message: string, hint?: string): void {
    this.diagnostics.push(error(location, message, hint))
  }

  warning(location: Location, message: string, hint?: string): void {
    this.diagnostics.push(warning(location, message, hint))
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error')
  }
}

/** `models/a.okra.gql:3:7`, to say where something was first defined. */
export function where(loc: Location): string {
  const { line, column } = lineColumn(loc.source.text, loc.start)
  return `${loc.source.path}:${line}:${column}`
}

/** The `@name` / `@@name` token of a directive, including its `@` signs. */
export function directiveNameLoc(node: DirectiveNode): Location {
  return { source: node.loc.source, start: node.loc.start, end: node.name.loc.end }
}

/** Orders locations by file path, then offset: the order diagnostics are reported in. */
export function compareLocations(a: Location, b: Location): number {
  if (a.source.path !== b.source.path) return a.source.path < b.source.path ? -1 : 1
  return a.start - b.start
}

/** Diagnostics sorted by file then offset, identical ones (same place, same message) reported once. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  const unique = diagnostics.filter((d) => {
    const key = `${d.location.source.path}\0${d.location.start}\0${d.location.end}\0${d.severity}\0${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return unique.sort((a, b) => compareLocations(a.location, b.location))
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
export function quoteList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`)
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
}
