/**
 * Diagnostics: what the parser and checker say about a schema. They keep the source and offsets;
 * line, column and caret are computed only when printed.
 */
import { type Location, lineColumn, lineText } from './source'

export interface Diagnostic {
  readonly severity: 'error' | 'warning'
  readonly message: string
  /** How to fix it, one sentence. */
  readonly hint?: string
  readonly location: Location
}

export function error(location: Location, message: string, hint?: string): Diagnostic {
  return { severity: 'error', message, hint, location }
}

export function warning(location: Location, message: string, hint?: string): Diagnostic {
  return { severity: 'warning', message, hint, location }
}

export interface Paint {
  red(s: string): string
  yellow(s: string): string
  cyan(s: string): string
  dim(s: string): string
  bold(s: string): string
}

/** No colours. */
export const plain: Paint = { red: (s) => s, yellow: (s) => s, cyan: (s) => s, dim: (s) => s, bold: (s) => s }

/**
 * `path:line:col: error: message`, then the source line with a caret under the offending token,
 * then the hint:
 *
 *     models.okra.gql:3:9: error: Unknown type 'Strin'
 *       3 |   name: Strin!
 *         |         ^^^^^
 *       hint: Did you mean 'String'?
 */
export function formatDiagnostic(d: Diagnostic, paint: Paint = plain): string {
  const { source, start, end } = d.location
  const { line, column } = lineColumn(source.text, start)
  const text = lineText(source.text, line)
  const width = Math.max(1, Math.min(end, start + text.length - column + 1) - start)
  const gutter = String(line)
  const pad = ' '.repeat(gutter.length)
  const label = d.severity === 'error' ? paint.red('error') : paint.yellow('warning')
  const lines = [
    `${paint.bold(`${source.path}:${line}:${column}`)}: ${label}: ${d.message}`,
    `  ${paint.dim(`${gutter} |`)} ${text}`,
    `  ${paint.dim(`${pad} |`)} ${' '.repeat(column - 1)}${paint.red('^'.repeat(width))}`,
  ]
  if (d.hint) lines.push(`  ${paint.cyan('hint')}: ${d.hint}`)
  return lines.join('\n')
}

/** The machine form used by `--json`. */
export function diagnosticToJSON(d: Diagnostic) {
  const { line, column } = lineColumn(d.location.source.text, d.location.start)
  return { severity: d.severity, file: d.location.source.path, line, column, message: d.message, hint: d.hint ?? null }
}
