/**
 * `okra db:diff`: what changed since the last snapshot (`migrations/snapshot/schema.json`), i.e. what the
 * next `db:migrate:snapshot` would hold. Opens no database. `--sql` prints the SQL for the configured
 * provider; `--exit-code` exits 2 when there are changes (as `prisma migrate diff --exit-code`).
 */
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import { SchemaError } from '../errors'
import { changesSinceSnapshot } from '../migrations/state'
import { type LoadProjectOptions, type Project, loadProject } from '../project'
import type { Provider } from '../schema/physical-types'
import { renderChanges } from '../sql/render'
import { type Statement, toScript } from '../sql/statement'
import type { Change, DiffWarning } from '../diff/index'

export interface DiffCommandOptions extends LoadProjectOptions {
  project?: Project
  /** Render the SQL too. */
  sql?: boolean
}

export interface DiffCommandResult {
  /** False when there is no snapshot yet: every model counts as new. */
  hasSnapshot: boolean
  provider: Provider
  changes: Change[]
  /** One line per change (`+ Added field 'phone' to User`). */
  summaries: string[]
  warnings: DiffWarning[]
  /** With `sql`: the statements for the configured provider. */
  statements?: Statement[]
}

export async function diffSinceSnapshot(options: DiffCommandOptions = {}): Promise<DiffCommandResult> {
  const project = options.project ?? (await loadProject(options))
  if (!project.schema) throw new SchemaError(project.diagnostics)
  const provider = project.config.database.provider
  const found = await changesSinceSnapshot(project)
  return {
    hasSnapshot: found.snapshot !== null,
    provider,
    changes: found.changes,
    summaries: found.summaries,
    warnings: found.warnings,
    ...(options.sql ? { statements: found.changes.length ? renderChanges(found.changes, found.to, found.from) : [] } : {}),
  }
}

interface Flags {
  exitCode: boolean
}

export const command: CommandWiring<DiffCommandResult & Flags> = {
  description:
    'Lists the changes since the last snapshot (migrations/snapshot/schema.json): what the next db:migrate:snapshot would hold. --sql prints the SQL for the configured provider; --exit-code exits 2 when there are changes.',
  flags: {
    sql: { type: 'boolean', description: 'print the SQL for the configured provider' },
    'exit-code': { type: 'boolean', description: 'exit 2 when there are changes' },
  },
  run: async (context, flags) => ({
    ...(await diffSinceSnapshot({ ...configOptions(context), sql: flags.sql === true })),
    exitCode: flags['exit-code'] === true,
  }),
  printText(result, { stdout, stderr }) {
    for (const warning of result.warnings) stderr.line(stderr.paint.yellow(`warning: ${warning.message}`))
    if (!result.hasSnapshot) stderr.line('No snapshot yet (migrations/snapshot/schema.json): every model is new.')
    if (result.statements) {
      if (result.statements.length === 0) stdout.line(`-- No changes since the snapshot (${result.provider})`)
      else stdout.line([...result.summaries.map((line) => `-- ${line}`), '', toScript(result.statements).trimEnd()].join('\n'))
      return
    }
    for (const line of result.summaries) stdout.line(line)
    if (result.changes.length === 0) stdout.line(`${stdout.paint.cyan('✓')} No changes since the snapshot`)
  },
  toJSON: (result) => ({
    ok: true,
    hasSnapshot: result.hasSnapshot,
    provider: result.provider,
    changes: result.summaries,
    warnings: result.warnings.map((w) => w.message),
    ...(result.statements ? { sql: result.statements.map((s) => s.sql) } : {}),
  }),
  exitCode: (result) => (result.exitCode && result.changes.length > 0 ? 2 : 0),
}
