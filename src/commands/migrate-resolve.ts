/**
 * `okra migrate:resolve --applied ID | --rolled-back ID`: records by hand what happened to a migration
 * (src/migrations/resolve.ts), running no SQL.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { lockTimeoutMs } from './flags'
import { DEFAULT_LOCK_TIMEOUT_S } from '../migrations/lock'
import { type MigrateResolveResult, migrateResolve } from '../migrations/resolve'

const DONE: Record<MigrateResolveResult['before'], string> = {
  none: 'recorded as applied (no SQL was run)',
  failed: 'was failed; now recorded as applied',
  changed: 'recorded as applied with its files as they are now',
  applied: 'was already recorded as applied: nothing to do',
}

export const command: CommandWiring<MigrateResolveResult> = {
  description:
    'Records by hand what happened to a migration, running no SQL: --applied ID for a database that already has it (baselining, or a failed migration finished by hand), --rolled-back ID for one undone by hand (migrate:up will run it again).',
  flags: {
    applied: { type: 'string', value: 'ID', description: 'record the migration as applied' },
    'rolled-back': { type: 'string', value: 'ID', description: 'remove the migration from the record (as never applied)' },
    'lock-timeout': { type: 'number', value: 'S', description: `seconds to wait for another run's lock (default ${DEFAULT_LOCK_TIMEOUT_S})` },
  },
  run: (context, flags) =>
    migrateResolve({
      ...configOptions(context),
      applied: flags.applied as string | undefined,
      rolledBack: flags['rolled-back'] as string | undefined,
      lockTimeoutMs: lockTimeoutMs(flags['lock-timeout']),
    }),
  printText(result, { stdout }) {
    const text = result.action === 'applied' ? DONE[result.before] : 'removed from the record: migrate:up will apply it again'
    stdout.line(`${stdout.paint.cyan('✓')} ${result.id} ${text} (${result.url})`)
  },
  toJSON: (result) => ({ ok: true, ...result }),
}
