/**
 * `okra models:generate`: renders every configured target from the schema and writes the files
 * whose content changed. A schema with errors writes nothing.
 */
import type { CommandWiring } from './types'
import { fileOnlyOptions } from '../config/load'
import { diagnosticToJSON, formatDiagnostic } from '../language/diagnostics'
import { type GenerateResult, generate } from '../project/outputs'

export const command: CommandWiring<GenerateResult> = {
  description: 'Writes every output configured under "generate" (TypeScript, Go, Python, GraphQL), only the files whose content changed.',
  flags: {},
  run: (context) => generate(fileOnlyOptions(context)),
  printText(result, { stdout, stderr }) {
    for (const d of result.warnings) stderr.line(formatDiagnostic(d, stderr.paint) + '\n')
    if (result.files.length === 0) stdout.line('No outputs configured: add generate.typescript.out (or go, python, graphql) to okra.config.json.')
    for (const file of result.files) {
      stdout.line(file.written ? `${stdout.paint.cyan('written')}   ${file.path}` : `${stdout.paint.dim('unchanged')} ${file.path}`)
    }
  },
  toJSON: (result) => ({
    ok: true,
    files: result.files.map(({ target, path, written }) => ({ target, path, status: written ? 'written' : 'unchanged' })),
    warnings: result.warnings.map(diagnosticToJSON),
  }),
}
