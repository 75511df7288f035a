/**
 * `okra db:reset`: drops everything OKRA manages and builds it again from the migration history (or,
 * `--from-schema`, from the schema), then runs the seeds (src/sync/reset.ts). Asks at a terminal; without
 * one it needs `--force`; in the `production` environment it is refused unless `--force` is given.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { type ResetResult, reset } from '../sync/reset'
import { TIMEOUT_FLAGS, timeoutOptions } from './flags'

export const command: CommandWiring<ResetResult> = {
  description:
    'Drops every table OKRA manages (the schema\'s, those it was last synced to, those of every migration, enum types, triggers, _okra_* tables, okra_backup), applies every migration as migrate:up does (recorded in _okra_migrations), syncs the schema\'s changes not yet in a migration, then runs seeds/*.sql. --from-schema creates the tables from the schema instead of replaying the migrations. On SQLite the database is backed up first. Asks first; without a terminal, and in the production environment, it needs --force.',
  flags: {
    force: { type: 'boolean', description: 'reset without asking (also in the production environment)' },
    'from-schema': { type: 'boolean', description: 'create the tables from the schema, without replaying the migrations' },
    'skip-seed': { type: 'boolean', description: 'do not run seeds/*.sql afterwards' },
    ...TIMEOUT_FLAGS,
  },
  run: (context, flags) =>
    reset({
      ...configOptions(context),
      force: flags.force === true,
      fromSchema: flags['from-schema'] === true,
      skipSeed: flags['skip-seed'] === true,
      terminal: context.terminal,
      ...timeoutOptions(flags),
      confirm: (question) => context.terminal.confirm(question, { flag: '--force' }),
    }),
  printText(result, { stdout }) {
    const { paint } = stdout
    if (result.createdSchema) stdout.line(`Created schema "${result.createdSchema}" (it did not exist)`)
    if (result.backup) stdout.line(paint.dim(`Backup of the database before the reset: ${result.backup.name} (okra db:restore ${result.backup.name} brings it back)`))
    if (result.from === 'history') {
      for (const id of result.migrations) stdout.line(`${paint.cyan('✓')} ${id}`)
      if (result.created.length) stdout.line(`Then synced what no migration holds yet:`)
    }
    for (const line of result.created) stdout.line(line)
    for (const { file } of result.seeds) stdout.line(`${paint.cyan('✓')} ${file}`)
    const built =
      result.from === 'history'
        ? `applied ${result.migrations.length} migration${result.migrations.length === 1 ? '' : 's'}${result.created.length ? ` and synced ${result.created.length} change${result.created.length === 1 ? '' : 's'}` : ''}`
        : `created ${result.created.length} from the schema`
    const seeded = result.seeds.length ? `, ran ${result.seeds.length} seed file${result.seeds.length === 1 ? '' : 's'}` : ''
    stdout.line(`${paint.cyan('✓')} Reset ${result.url}: dropped ${result.dropped.length} table${result.dropped.length === 1 ? '' : 's'}, ${built}${seeded} in ${Math.round(result.durationMs)} ms`)
  },
  toJSON: (result) => ({ ok: true, ...result, durationMs: Math.round(result.durationMs * 10) / 10, seeds: result.seeds.map((s) => ({ file: s.file, durationMs: Math.round(s.durationMs * 10) / 10 })) }),
}
