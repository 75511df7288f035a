/**
 * `okra migrate:up`: applies the pending migrations (src/migrations/up.ts) and prints what it did.
 */
import type { CommandWiring } from './types'
import { configOptions } from '../config/load'
import { DEFAULT_LOCK_TIMEOUT_S } from '../migrations/lock'
import { plural } from '../terminal'
import { type MigrateUpResult, migrateUp } from '../migrations/up'
import { TIMEOUT_FLAGS, lockTimeoutMs, timeoutOptions } from './flags'

export const command: CommandWiring<MigrateUpResult> = {
  description:
    'Applies the pending migrations in order, each in its own transaction, holding a lock so that concurrent runs apply each migration once. ' +
    'A migration whose files changed after it was applied, or one that failed outside a transaction, stops the run before any SQL; ' +
    'so do a forked history (run migrate:rebase) and a destructive statement the migration\'s migration.json does not declare. --dry-run lists what each one destroys.',
  flags: {
    steps: { type: 'number', value: 'N', description: 'apply at most N pending migrations' },
    'dry-run': { type: 'boolean', description: 'print the SQL that would run; change nothing' },
    'lock-timeout': { type: 'number', value: 'S', description: `seconds to wait for another run's lock (default ${DEFAULT_LOCK_TIMEOUT_S})` },
    'resolve-applied': {
      type: 'boolean',
      description: 'record pending migrations whose changes the database already has (a synced dev database) as applied, without running them',
    },
    ...TIMEOUT_FLAGS,
  },
  run: (context, flags) =>
    migrateUp({
      ...configOptions(context),
      terminal: context.terminal,
      steps: flags.steps as number | undefined,
      dryRun: flags['dry-run'] === true,
      lockTimeoutMs: lockTimeoutMs(flags['lock-timeout']),
      resolveApplied: flags['resolve-applied'] === true,
      ...timeoutOptions(flags),
    }),
  printText(result, { stdout }) {
    const { paint } = stdout
    if (result.dryRun) {
      for (const plan of result.planned) {
        stdout.line(paint.dim(`-- ${plan.id} (${plan.source === 'derived' ? `SQL derived from schema.json for ${result.provider}` : plan.source})`))
        if (plan.destroys?.length) stdout.line(paint.yellow(`-- destroys: ${plan.destroys.join('; ')}`))
        stdout.line(plan.script.trimEnd() || paint.dim('-- (no statements)'))
        stdout.line()
      }
      stdout.line(
        result.planned.length
          ? `Dry run: ${plural(result.planned.length, 'migration')} would be applied to ${result.url}; nothing was changed.`
          : `Nothing to apply: ${result.url} is up to date (${plural(result.alreadyApplied, 'migration')} applied).`,
      )
    } else {
      for (const id of result.resolved) stdout.line(`${paint.cyan('✓')} ${id} ${paint.dim('(recorded as applied: the database already had its changes)')}`)
      if (result.createdSchema) stdout.line(`Created schema "${result.createdSchema}" (it did not exist)`)
      for (const m of result.applied) stdout.line(`${paint.cyan('✓')} ${m.id} ${paint.dim(`(${m.executionMs} ms${m.source === 'derived' ? '' : `, ${m.source}`})`)}`)
      for (const r of result.rebased) stdout.line(`${paint.cyan('✓')} ${r.id} ${paint.dim(`(applied before migrate:rebase as ${r.formerly.join(', ')}: recorded under the new name)`)}`)
      if (result.backup) stdout.line(paint.dim(`Backup of the database before applying: ${result.backupName} (${result.backup}; okra db:restore ${result.backupName} brings it back)`))
      stdout.line(
        result.applied.length
          ? `Applied ${plural(result.applied.length, 'migration')} to ${result.url} in ${Math.round(result.durationMs)} ms.`
          : result.resolved.length
            ? `Recorded ${plural(result.resolved.length, 'migration')} as applied in ${result.url}; nothing was run.`
            : `Already up to date: ${result.url} (${plural(result.alreadyApplied, 'migration')} applied).`,
      )
    }
    if (result.remaining.length) stdout.line(`${plural(result.remaining.length, 'migration')} left pending (--steps).`)
  },
  toJSON: (result) => ({
    ok: true,
    url: result.url,
    provider: result.provider,
    dryRun: result.dryRun,
    applied: result.applied,
    planned: result.planned,
    remaining: result.remaining,
    resolved: result.resolved,
    rebased: result.rebased,
    backup: result.backup,
    backupName: result.backupName ?? null,
    createdSchema: result.createdSchema ?? null,
    warnings: result.warnings,
    durationMs: Math.round(result.durationMs),
  }),
}
