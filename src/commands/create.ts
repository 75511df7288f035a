/**
 * `okra db:migrate:create --name N`: a migration for hand editing. Like db:migrate:snapshot it holds the
 * net change since the last snapshot and moves the snapshot forward, so the history of schema states
 * holds; it always writes the SQL file (an empty one when the schema did not change: a data-only
 * migration), and never records itself as applied, since its SQL is still to be written.
 */
import type { CommandWiring } from './types'
import { UsageError } from '../errors'
import { SNAPSHOT_FLAGS, type SnapshotCommandResult, printSnapshot, runSnapshot } from './snapshot'

export const command: CommandWiring<SnapshotCommandResult> = {
  description:
    'Writes a migration for hand editing (migrations/<timestamp>_<name>/): schema.json and migration.sql, which holds the net change since the last snapshot ' +
    '(or nothing, for a data-only migration) for you to edit. Indexes it creates by hand are kept by later syncs. Prints the compatibility warnings.',
  flags: {
    name: { type: 'string', value: 'N', description: 'the migration\'s name (required): YYYYMMDD_HHMMSS_<name>' },
    ...SNAPSHOT_FLAGS,
  },
  async run(context, flags) {
    if (typeof flags.name !== 'string' || flags.name === '') throw new UsageError('db:migrate:create needs --name N (what the migration does, e.g. --name backfill_slugs)', 'See `okra db:migrate:create --help`.')
    return runSnapshot(context, flags, true)
  },
  printText: printSnapshot,
  toJSON: ({ create: _create, ...result }) => ({ ok: true, ...result }),
}
