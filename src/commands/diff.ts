/**
 * `okra db:diff`: what changed since the last snapshot (src/migrations/diff.ts). `--sql` prints the SQL for
 * the configured provider; `--exit-code` exits 2 when there are changes (as `prisma migrate diff --exit-code`).
 */
import type { CommandWiring } from './types'
import { fileOnlyOptions } from '../config/load'
import { toScript } from '../sql/statement'
import { type DiffCommandResult, diffSinceSnapshot } from '../migrations/diff'

interface Flags {
  exitCode: boolean
}

export const command: CommandWiring<DiffCommandResult & Flags> = {
  description:
    'Lists the changes since the last snapshot (migrations/snapshot/schema.json): what the next db:migrate:snapshot would hold. --sql prints the SQL for the configured provider; --exit-code exits 2 when there are changes. A forked history, or a snapshot that is not the newest migration\'s schema, exits 1.',
  flags: {
    sql: { type: 'boolean', description: 'print the SQL for the configured provider' },
    'exit-code': { type: 'boolean', description: 'exit 2 when there are changes' },
  },
  run: async (context, flags) => ({
    ...(await diffSinceSnapshot({ ...fileOnlyOptions(context), sql: flags.sql === true })),
    exitCode: flags['exit-code'] === true,
  }),
  printText(result, { stdout, stderr }) {
    for (const warning of result.warnings) stderr.line(stderr.paint.yellow(`warning: ${warning.message}`))
    for (const note of result.notes) stderr.line(`note: ${note}`)
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
