/**
 * `okra migrate:down`: reverts the last applied migrations (src/migrations/down.ts) and prints what it did.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { TIMEOUT_FLAGS, lockTimeoutMs, timeoutOptions } from './flags'
import { DEFAULT_LOCK_TIMEOUT_S } from '../migrations/lock'
import { type MigrateDownResult, migrateDown } from '../migrations/down'

export const command: CommandWiring<MigrateDownResult> = {
  description:
    "Reverts the last applied migration (or the last N), newest first, with the migration's down.sql when it has one, else the SQL derived from the schema states. " +
    'Asks first at a terminal; without one it needs --force. Warns about data a revert cannot bring back. A forked or broken history stops it.',
  flags: {
    steps: { type: 'number', value: 'N', description: 'revert the last N applied migrations (default 1)' },
    'dry-run': { type: 'boolean', description: 'print the SQL that would run; change nothing' },
    force: { type: 'boolean', description: 'revert without asking' },
    'lock-timeout': { type: 'number', value: 'S', description: `seconds to wait for another run's lock (default ${DEFAULT_LOCK_TIMEOUT_S})` },
    ...TIMEOUT_FLAGS,
  },
  run: (context, flags) =>
    migrateDown({
      ...configOptions(context),
      terminal: context.terminal,
      steps: flags.steps as number | undefined,
      dryRun: flags['dry-run'] === true,
      force: flags.force === true,
      lockTimeoutMs: lockTimeoutMs(flags['lock-timeout']),
      ...timeoutOptions(flags),
    }),
  printText(result, { stdout }) {
    const { paint } = stdout
    if (result.dryRun) {
      for (const text of result.dataWarnings) stdout.line(paint.yellow(`warning: ${text}`))
      for (const plan of result.planned) {
        stdout.line(paint.dim(`-- revert ${plan.id} (${plan.source === 'derived' ? `SQL derived from the schema states for ${result.provider}` : plan.source})`))
        stdout.line(plan.script.trimEnd() || paint.dim('-- (no statements)'))
        stdout.line()
      }
      stdout.line(result.planned.length ? `Dry run: ${result.planned.length} to revert on ${result.url}; nothing was changed.` : `Nothing to revert on ${result.url}.`)
      return
    }
    for (const m of result.reverted) stdout.line(`${paint.cyan('✓')} reverted ${m.id} ${paint.dim(`(${m.executionMs} ms${m.source === 'derived' ? '' : `, ${m.source}`})`)}`)
    if (result.backup) stdout.line(paint.dim(`Backup of the database before reverting: ${result.backup}`))
    stdout.line(result.reverted.length ? `Reverted ${result.reverted.length} on ${result.url} in ${Math.round(result.durationMs)} ms.` : `Nothing to revert on ${result.url}.`)
  },
  toJSON: (result) => ({
    ok: true,
    url: result.url,
    provider: result.provider,
    dryRun: result.dryRun,
    reverted: result.reverted,
    planned: result.planned,
    dataWarnings: result.dataWarnings,
    backup: result.backup,
    durationMs: Math.round(result.durationMs),
  }),
}
