/**
 * An error turned into what people and tools read, in one way for every place OKRA reports one: the
 * CLI, `okra db:sync --watch`, `okra dev`, the bundler plugin's errors and Vite's overlay.
 *
 *     models.okra.gql:3:9: error: Unknown type 'Strin'     each schema diagnostic, errors before warnings,
 *       3 |   name: Strin!                                   with its source line and caret
 *         |         ^^^^^
 *       hint: Did you mean 'String'?
 *
 *     error: Schema has 1 error                            the message
 *     hint: ...                                            what to do about it, when the error knows
 *
 * An error that is not an OkraError is a bug in OKRA, and the text says so; its stack is added only with
 * OKRA_DEBUG=1. Every text and every JSON string passes through maskUrl: no password is ever shown.
 */
import { resolve } from 'node:path'
import { maskUrl } from './config/url'
import { ConfigError, OkraError, SchemaError } from './errors'
import { type Diagnostic, type Paint, diagnosticToJSON, formatDiagnostic, plain } from './language/diagnostics'
import { lineColumn, lineText } from './language/source'

export interface RenderOptions {
  /** Colours (a terminal's); default none. */
  paint?: Paint
  /** Adds the stack of a bug in OKRA; default: OKRA_DEBUG=1 in the environment. */
  debug?: boolean
}

/** The error as text, several lines, no trailing newline. */
export function renderProblem(error: unknown, { paint = plain, debug = process.env.OKRA_DEBUG === '1' }: RenderOptions = {}): string {
  const blocks = error instanceof SchemaError ? diagnosticsOf(error).map((d) => formatDiagnostic(d, paint) + '\n') : []
  const lines = [`${paint.red(paint.bold('error'))}: ${messageOf(error)}`]
  if (error instanceof OkraError) {
    if (error.hint) lines.push(`${paint.cyan('hint')}: ${error.hint}`)
  } else {
    lines.push('this is a bug in okra, please report it')
    if (debug && error instanceof Error && error.stack) lines.push(error.stack)
  }
  return maskUrl([...blocks, ...lines].join('\n'))
}

/** An error as the plugin hands it to a bundler, or to Vite's overlay. */
export interface OkraProblem {
  /** Everything to print (renderProblem's text, without colours). */
  text: string
  /** The first error's place: absolute file, 1-based line and column. */
  loc?: { file: string; line: number; column: number }
  /** The source line with a caret under the error (Vite's overlay shows it under the message). */
  frame?: string
  /** The error it describes. */
  error: unknown
}

/** The error with the place of its first schema error, if any; schema paths are relative to `root`. */
export function describeProblem(error: unknown, root: string): OkraProblem {
  const text = renderProblem(error)
  const first = error instanceof SchemaError ? error.diagnostics.find((d) => d.severity === 'error') : undefined
  if (!first) return { text, error }
  const { source, start } = first.location
  const { line, column } = lineColumn(source.text, start)
  const frame = `${line} | ${lineText(source.text, line)}\n${' '.repeat(String(line).length)} | ${' '.repeat(column - 1)}^`
  return { text, loc: { file: resolve(root, source.path), line, column }, frame, error }
}

/** The `error` member of the CLI's `--json` document `{ ok: false, error }`. */
export function problemToJSON(error: unknown) {
  if (!(error instanceof OkraError)) return { name: 'InternalError', message: messageOf(error), bug: true as const }
  return masked({
    name: error.name,
    message: error.message,
    hint: error.hint ?? null,
    ...(error instanceof ConfigError ? { file: error.file, problems: error.problems } : {}),
    ...(error instanceof SchemaError ? { diagnostics: error.diagnostics.map(diagnosticToJSON) } : {}),
  })
}

/** The process exit code an error ends the CLI with: an OkraError's own, 1 for a bug. */
export function exitCodeOf(error: unknown): number {
  return error instanceof OkraError ? error.exitCode : 1
}

function messageOf(error: unknown): string {
  return maskUrl(error instanceof Error ? error.message : String(error))
}

/** Errors first, so the first thing shown (and the overlay's place) is what stops the build. */
function diagnosticsOf(error: SchemaError): Diagnostic[] {
  return [...error.diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
}

/** Every string in a JSON value through maskUrl. */
function masked<T>(value: T): T {
  if (typeof value === 'string') return maskUrl(value) as T
  if (Array.isArray(value)) return value.map(masked) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)])) as T
  return value
}
