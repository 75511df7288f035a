/**
 * An error as the plugin shows it: the whole text for a terminal or a bundler's error list (schema
 * diagnostics with their location and caret, the message, the hint), and the location of the first
 * error for Vite's overlay. A bundler prints only an error's message, so the hint goes into the text.
 */
import { resolve } from 'node:path'
import { OkraError, SchemaError } from '../errors'
import { formatDiagnostic } from '../language/diagnostics'
import { lineColumn, lineText } from '../language/source'
import { maskUrl } from '../config/url'

export interface OkraProblem {
  /** Everything to print, several lines. */
  text: string
  /** The first error's place: absolute file, 1-based line and column. */
  loc?: { file: string; line: number; column: number }
  /** The source line with a caret under the error (Vite's overlay shows it under the message). */
  frame?: string
  /** The error it describes. */
  error: unknown
}

export function describeProblem(error: unknown, root: string): OkraProblem {
  if (error instanceof SchemaError) {
    const diagnostics = [...error.diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
    const text = [...diagnostics.map((d) => formatDiagnostic(d)), error.message].join('\n\n')
    const first = diagnostics.find((d) => d.severity === 'error')
    if (!first) return { text, error }
    const { source, start } = first.location
    const { line, column } = lineColumn(source.text, start)
    const frame = `${line} | ${lineText(source.text, line)}\n${' '.repeat(String(line).length)} | ${' '.repeat(column - 1)}^`
    return { text, loc: { file: resolve(root, source.path), line, column }, frame, error }
  }
  if (error instanceof OkraError) {
    return { text: maskUrl(error.hint ? `${error.message}\nhint: ${error.hint}` : error.message), error }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { text: maskUrl(`${message}\n(this is a bug in okra, please report it)`), error }
}

/** The error a bundler reports: one Error whose message is the whole text. */
export function bundlerError(problem: OkraProblem): Error {
  const error = new Error(problem.text)
  error.name = problem.error instanceof Error ? problem.error.name : 'OkraError'
  // The stack of an OkraError points into okra, not at anything the user can fix.
  error.stack = `${error.name}: ${problem.text}`
  return error
}
