/**
 * `okra db:migrate:snapshot` (also `db:migrate:generate`): writes one migration with the net change since
 * the last snapshot (src/migrations/snapshot.ts); asks what to do when the dev database is not synced.
 * `db:migrate:create` (create.ts) is the same run with a folder for hand editing.
 */
import type { CommandContext, CommandWiring, FlagSpec, FlagValue } from './types'
import { configOptions, fileOnlyOptions } from '../config/load'
import type { Terminal } from '../terminal'
import { type NotSyncedChoice, type SnapshotResult, snapshot } from '../migrations/snapshot'
import { compatibilityWarnings } from '../project/compatibility'
import { loadProject } from '../project/load'
import type { LintFinding } from '../migrations/lint/index'
import { lintMigrationById } from '../migrations/lint/run'
import { printFindings } from './migrate-lint'
import { plural } from '../terminal'

/** The CLI's three-way question (1 sync first, 2 snapshot anyway, 3 cancel); without a terminal, an error naming the flags. */
function askNotSynced(terminal: Terminal): (reason: string) => Promise<NotSyncedChoice> {
  const choices = ['sync first', 'snapshot anyway', 'cancel']
  return async (reason) => {
    const answer = await terminal.ask(`${reason} What now?`, { flag: '--sync or --force', choices })
    return answer === choices[0] ? 'sync' : answer === choices[1] ? 'force' : 'cancel'
  }
}

export type SnapshotCommandResult = SnapshotResult & { compatibility: string[]; lint: LintFinding[]; generated: string[]; create: boolean }

/** The flags snapshot and create share. */
export const SNAPSHOT_FLAGS: Record<string, FlagSpec> = {
  sync: { type: 'boolean', description: 'when the database is not synced, sync it first (then write the configured types)' },
  force: { type: 'boolean', description: 'when the database is not synced, snapshot anyway' },
  'accept-data-loss': { type: 'boolean', description: 'with --sync: apply destructive changes without asking' },
}

export async function runSnapshot(context: CommandContext, flags: Record<string, FlagValue | undefined>, create: boolean): Promise<SnapshotCommandResult> {
  const { UsageError } = await import('../errors')
  if (flags.sync === true && flags.force === true) throw new UsageError('Give --sync or --force, not both')
  if (flags['accept-data-loss'] === true && flags.force === true) throw new UsageError('--accept-data-loss goes with --sync (it allows what the sync would lose); --force syncs nothing')
  const { cliSyncOptions, writeOutputs } = await import('./sync')
  // With --force it only compares files (in CI, production's URL may be unset); a sync connects.
  const options = flags.force === true ? fileOnlyOptions(context) : configOptions(context)
  const project = await loadProject(options)
  const compatibility = project.schema ? compatibilityWarnings(project.schema, project.config.database.providers).map((w) => w.message) : []
  const result = await snapshot({
    ...options,
    project,
    name: flags.name as string | undefined,
    create,
    notSynced: flags.sync === true ? 'sync' : flags.force === true ? 'force' : askNotSynced(context.terminal),
    syncOptions: cliSyncOptions(context, flags),
  })
  // The new migration linted as `okra migrate:lint` would: printed as warnings, never failing the snapshot.
  let lint: LintFinding[] = []
  try {
    if (result.id) lint = await lintMigrationById(project.config, result.id)
  } catch (error) {
    compatibility.push(`could not lint the new migration: ${error instanceof Error ? error.message : String(error)}`)
  }
  // After a sync the types describe the database, as after db:sync.
  const generated = result.synced ? await writeOutputs(project) : []
  return { ...result, compatibility, lint, generated, create }
}

export function printSnapshot(result: SnapshotCommandResult, { stdout, stderr }: Terminal): void {
  for (const w of [...result.warnings, ...result.compatibility]) stderr.line(stderr.paint.yellow(`warning: ${w}`))
  for (const note of result.notes) stderr.line(`note: ${note}`)
  const { paint } = stdout
  if (result.outcome === 'nothing') {
    stdout.line('Nothing to snapshot: the schema is the one in migrations/snapshot/schema.json.')
    return
  }
  for (const line of result.summaries) stdout.line(line)
  if (result.outcome === 'snapshot-only') {
    stdout.line(`${paint.cyan('✓')} No database change (descriptions or hints only): migrations/snapshot/schema.json updated, no migration written.`)
    return
  }
  if (result.destroys.length) {
    stdout.line(paint.yellow('It destroys (declared in migration.json; migrate:up refuses anything else destructive):'))
    for (const line of result.destroys) stdout.line(`  ${line}`)
  }
  for (const file of result.generated) stdout.line(`${paint.cyan('✓')} Wrote ${file}`)
  stdout.line(`${paint.cyan('✓')} Wrote ${result.folder}/ (${result.files.join(', ')})`)
  if (result.lint.length) {
    stderr.line(stderr.paint.yellow(`warning: okra migrate:lint found ${plural(result.lint.length, 'risk')} in the new migration:`))
    printFindings(result.lint, stderr.paint, (line) => stderr.line(line))
  }
  const marked = result.markedApplied
  if (marked) {
    stdout.line(`${paint.cyan('✓')} Recorded ${marked.ids.join(', ')} as applied in ${marked.url} (it already has these changes)`)
    for (const file of marked.leftPending) {
      stderr.line(stderr.paint.yellow(`warning: ${file} holds hand-written SQL, so its migration stays pending in ${marked.url}: \`okra migrate:up\` runs it`))
    }
  }
  if (result.create) {
    const sql = result.files.filter((f) => f.endsWith('.sql')).map((f) => `${result.folder}/${f}`)
    stdout.line(paint.dim(`Edit ${sql.join(' and ')} (and write down.sql for migrate:down), commit it; \`okra migrate:up\` applies it.`))
  } else stdout.line(paint.dim('Commit it; `okra migrate:up` applies it.'))
}

export const command: CommandWiring<SnapshotCommandResult> = {
  description:
    'Writes one migration holding the net change since the last snapshot (migrations/<timestamp>_<name>/) and moves migrations/snapshot/ forward. ' +
    'When the development database is not synced with the schema it asks what to do; without a terminal it needs --sync or --force. ' +
    'Its migration.json records the parent migration and what it destroys; a forked history stops it, and a snapshot that is not the head of the history is taken back to it first. ' +
    'When the development database is synced to this schema, the migration is recorded as applied there.',
  flags: {
    name: { type: 'string', value: 'N', description: 'a name for the migration folder (YYYYMMDD_HHMMSS_<name>)' },
    ...SNAPSHOT_FLAGS,
  },
  run: (context, flags) => runSnapshot(context, flags, false),
  printText: printSnapshot,
  toJSON: ({ create: _create, ...result }) => ({ ok: true, ...result }),
}
