/**
 * `okra db:reset`: drops everything OKRA manages and creates it again from the schema (src/sync/reset.ts).
 * Asks at a terminal; without one it needs `--force`; in the `production` environment it is refused
 * unless `--force` is given.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { type ResetResult, reset } from '../sync/reset'
import { TIMEOUT_FLAGS, timeoutOptions } from './flags'

export const command: CommandWiring<ResetResult> = {
  description:
    'Drops every table OKRA manages (the schema\'s, those it was last synced to, enum types, triggers, _okra_* tables, okra_backup) and creates them again from the schema. Asks first; without a terminal, and in the production environment, it needs --force.',
  flags: {
    force: { type: 'boolean', description: 'reset without asking (also in the production environment)' },
    ...TIMEOUT_FLAGS,
  },
  run: (context, flags) =>
    reset({
      ...configOptions(context),
      force: flags.force === true,
      ...timeoutOptions(flags),
      confirm: (question) => context.terminal.confirm(question, { flag: '--force' }),
    }),
  printText(result, { stdout }) {
    for (const line of result.created) stdout.line(line)
    stdout.line(`${stdout.paint.cyan('✓')} Reset ${result.url}: dropped ${result.dropped.length} table${result.dropped.length === 1 ? '' : 's'}, created ${result.created.length} in ${Math.round(result.durationMs)} ms`)
  },
  toJSON: (result) => ({ ok: true, ...result, durationMs: Math.round(result.durationMs * 10) / 10 }),
}
