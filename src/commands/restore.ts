/**
 * `okra db:restore [NAME]`: brings a backup of this database back (the newest by default), after taking
 * one of the database as it is (src/backups/backups.ts). Asks at a terminal; without one it needs
 * `--force`; in the `production` environment it is refused unless `--force` is given.
 */
import { OPERAND, type CommandWiring } from './types'
import { type RestoreResult, restoreBackup } from '../backups/backups'
import { configOptions } from '../config/load'

export const command: CommandWiring<RestoreResult> = {
  description:
    'Restores a backup of this database (okra db:backup --list shows them; the newest when NAME is left out), after taking a backup of the database as it is, so the restore can be undone. SQLite: the whole file as it was; PostgreSQL: the rows of every table, into tables that must have the structure they had. Asks first; without a terminal, and in the production environment, it needs --force.',
  operand: { value: 'NAME', description: 'the backup to restore, as db:backup --list names it (default: the newest)' },
  flags: {
    force: { type: 'boolean', description: 'restore without asking (also in the production environment)' },
  },
  run: (context, flags) =>
    restoreBackup({
      ...configOptions(context),
      ...(typeof flags[OPERAND] === 'string' ? { name: flags[OPERAND] } : {}),
      force: flags.force === true,
      confirm: (question) => context.terminal.confirm(question, { flag: '--force' }),
    }),
  printText(result, { stdout }) {
    stdout.line(`${stdout.paint.cyan('✓')} Restored ${result.restored.name} (${result.restored.location}) over ${result.url} in ${Math.round(result.durationMs)} ms`)
    if (result.before) stdout.line(stdout.paint.dim(`The database as it was just before is backup ${result.before.name} (okra db:restore ${result.before.name} undoes this)`))
  },
  toJSON: (result) => ({ ok: true, url: result.url, restored: result.restored, before: result.before, durationMs: Math.round(result.durationMs * 10) / 10 }),
}
