/**
 * `okra db:migrate:snapshot`: writes one migration with the net change since the last snapshot
 * (src/migrations/snapshot.ts); asks what to do when the dev database is not synced.
 */
import type { CommandWiring } from './types'
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

export const command: CommandWiring<SnapshotResult & { compatibility: string[]; lint: LintFinding[] }> = {
  description:
    'Writes one migration holding the net change since the last snapshot (migrations/<timestamp>_<name>/) and moves migrations/snapshot/ forward. ' +
    'When the development database is not synced with the schema it asks what to do; without a terminal it needs --sync or --force. ' +
    'Its migration.json records the parent migration and what it destroys; a forked history stops it, and a snapshot that is not the head of the history is taken back to it first.',
  flags: {
    name: { type: 'string', value: 'N', description: 'a name for the migration folder (YYYYMMDD_HHMMSS_<name>)' },
    sync: { type: 'boolean', description: 'when the database is not synced, sync it first' },
    force: { type: 'boolean', description: 'when the database is not synced, snapshot anyway' },
  },
  async run(context, flags) {
    if (flags.sync === true && flags.force === true) {
      const { UsageError } = await import('../errors')
      throw new UsageError('Give --sync or --force, not both')
    }
    const { cliSyncOptions } = await import('./sync')
    // With --force it only compares files (in CI, production's URL may be unset); a sync connects.
    const options = flags.force === true ? fileOnlyOptions(context) : configOptions(context)
    const project = await loadProject(options)
    const compatibility = project.schema ? compatibilityWarnings(project.schema, project.config.database.providers).map((w) => w.message) : []
    const result = await snapshot({
      ...options,
      project,
      name: flags.name as string | undefined,
      notSynced: flags.sync === true ? 'sync' : flags.force === true ? 'force' : askNotSynced(context.terminal),
      syncOptions: cliSyncOptions(context, {}),
    })
    // The new migration linted as `okra migrate:lint` would: printed as warnings, never failing the snapshot.
    let lint: LintFinding[] = []
    try {
      if (result.id) lint = await lintMigrationById(project.config, result.id)
    } catch (error) {
      compatibility.push(`could not lint the new migration: ${error instanceof Error ? error.message : String(error)}`)
    }
    return { ...result, compatibility, lint }
  },
  printText(result, { stdout, stderr }) {
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
    stdout.line(`${paint.cyan('✓')} Wrote ${result.folder}/ (${result.files.join(', ')})`)
    if (result.lint.length) {
      stderr.line(stderr.paint.yellow(`warning: okra migrate:lint found ${plural(result.lint.length, 'risk')} in the new migration:`))
      printFindings(result.lint, stderr.paint, (line) => stderr.line(line))
    }
    stdout.line(paint.dim('Commit it; `okra migrate:up` applies it.'))
  },
  toJSON: (result) => ({ ok: true, ...result }),
}
