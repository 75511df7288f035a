/** `okra db:validate`: every schema diagnostic, and a connection check when there is a database (src/project/validate.ts). */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { diagnosticToJSON, formatDiagnostic } from '../language/diagnostics'
import { loadProject } from '../project/load'
import { plural } from '../terminal'
import { type ValidateResult, connectionCheck, hasDatabase, validate } from '../project/validate'

export const command: CommandWiring<ValidateResult> = {
  description: 'Parses and validates every schema file named by database.schemas, printing every error and warning with its location.',
  flags: {},
  async run(context) {
    const project = await loadProject(configOptions(context))
    const connect = hasDatabase(project.config) ? connectionCheck : undefined
    return validate({ project, connect })
  },
  printText(result, { stdout, stderr }) {
    for (const d of result.diagnostics) stderr.line(formatDiagnostic(d, stderr.paint) + '\n')
    for (const warning of result.compatibility) stderr.line(stderr.paint.yellow(`warning: ${warning}`))
    const files = plural(result.files.length, 'file')
    const warnings = result.warnings > 0 ? ` (${plural(result.warnings, 'warning')})` : ''
    if (result.errors > 0) {
      stderr.line(stderr.paint.red(`✗ ${plural(result.errors, 'error')} in ${files}`) + warnings)
    } else {
      stdout.line(`${stdout.paint.cyan('✓')} ${plural(result.models ?? 0, 'model')}, ${plural(result.enums ?? 0, 'enum')} in ${files}${warnings}`)
    }
    if (result.database) {
      const { connected, url, message } = result.database
      if (connected) stdout.line(`${stdout.paint.cyan('✓')} connected to ${url}: ${message}`)
      else stderr.line(stderr.paint.red(`✗ cannot connect to ${url}: ${message}`))
    }
  },
  toJSON: (result) => ({
    ok: result.ok,
    files: result.files,
    diagnostics: result.diagnostics.map(diagnosticToJSON),
    models: result.models,
    enums: result.enums,
    database: result.database,
    compatibility: result.compatibility,
  }),
  exitCode: (result) => (result.ok ? 0 : 1),
}
