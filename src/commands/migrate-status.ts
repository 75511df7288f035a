/**
 * `okra migrate:status`: lists every migration and the drift of the live database (src/migrations/status.ts).
 */
import type { CommandWiring } from './types'
import * as chainCheck from '../migrations/chain-check'
import { renderProblem } from '../problems'
import { configOptions } from '../config/load'
import { formatDate } from '../migrations/ledger'
import { plural } from '../terminal'
import { statusWithoutDatabase } from '../migrations/no-database'
import { type MigrateStatusResult, type MigrationState, type MigrationStatusEntry, migrateStatus } from '../migrations/status'

const MARKS: Record<MigrationState, string> = { applied: '✓', pending: '○', changed: '✗', failed: '✗', missing: '?' }

function describe(entry: MigrationStatusEntry): string {
  const date = entry.appliedAt ? formatDate(entry.appliedAt) : ''
  switch (entry.state) {
    case 'applied':
      return entry.formerly ? `applied ${date} as ${entry.formerly.join(', ')}, before migrate:rebase (migrate:up records the new name)` : `applied ${date}`
    case 'pending':
      return entry.outOfOrder ? 'pending (older than the newest applied migration: merged from another branch?)' : 'pending'
    case 'changed':
      return `changed after it was applied ${date}${entry.changes.length ? `: ${entry.changes.join(', ')}` : ''}`
    case 'failed':
      return `failed ${date} outside a transaction (see okra migrate:resolve)`
    case 'missing':
      return `applied ${date}, but its folder is missing here`
  }
}

/** The CLI's result: with --exit-code, pending, changed or failed migrations exit 2. `noDatabase`: it does not exist yet. */
type StatusCliResult = MigrateStatusResult & { exitCodeWanted: boolean; noDatabase: boolean }

export const command: CommandWiring<StatusCliResult> = {
  description:
    'Lists every migration: ✓ applied (with its date), ○ pending, ✗ changed after it was applied (or failed); then the drift of the live database from the schema of the newest applied migration. ' +
    'Pending migrations list what they destroy (with row counts); a forked or broken history is reported and exits 1.',
  flags: {
    'exit-code': { type: 'boolean', description: 'exit 2 when a migration is pending, changed or failed' },
  },
  async run(context, flags) {
    const missing = await statusWithoutDatabase(configOptions(context))
    return { ...(missing ?? (await migrateStatus(configOptions(context)))), exitCodeWanted: flags['exit-code'] === true, noDatabase: missing !== undefined }
  },
  printText(result, { stdout, stderr }) {
    const { paint } = stdout
    for (const note of result.notes) stderr.line(`note: ${note}`)
    if (result.noDatabase) {
      stdout.line(`No database yet at ${result.url}: nothing is applied. \`okra migrate:up\` creates it and applies ${plural(result.pending, 'migration')}.`)
    }
    const width = Math.max(0, ...result.migrations.map((m) => m.id.length))
    if (result.migrations.length === 0) stdout.line('No migrations yet (create one with okra db:migrate:snapshot).')
    for (const m of result.migrations) {
      const mark = m.state === 'applied' ? paint.cyan(MARKS[m.state]) : m.state === 'pending' ? MARKS[m.state] : paint.red(MARKS[m.state])
      stdout.line(`${mark} ${m.id.padEnd(width)}  ${describe(m)}`)
      for (const line of m.destroys) stdout.line(`  ${' '.repeat(width)}  ${paint.yellow(`destroys: ${line}`)}`)
    }
    const counts = [`${result.migrations.filter((m) => m.state === 'applied').length} applied`, `${result.pending} pending`]
    if (result.changed) counts.push(`${result.changed} changed`)
    if (result.failed) counts.push(`${result.failed} failed`)
    stdout.line(`${counts.join(', ')} on ${result.url}`)
    if (result.problems.length) {
      stderr.line(renderProblem(new chainCheck.ChainError(result.problems), { paint: stderr.paint }))
    }
    if (result.noDatabase) return
    for (const line of result.rebase) stdout.line(paint.yellow(line))
    if (result.drift.length === 0) {
      stdout.line(`No drift: the database matches ${result.driftBase ? `the schema of ${result.driftBase}` : 'an empty schema (no migration applied)'}.`)
    } else {
      stdout.line(paint.yellow(`Drift: the database differs from ${result.driftBase ? `the schema of ${result.driftBase}` : 'an empty schema (no migration applied)'}:`))
      for (const line of result.drift) stdout.line(`  ${line}`)
    }
  },
  toJSON: (result) => ({
    ok: result.problems.length === 0,
    url: result.url,
    database: result.noDatabase ? 'missing' : 'exists',
    provider: result.provider,
    migrations: result.migrations,
    pending: result.pending,
    changed: result.changed,
    failed: result.failed,
    drift: { base: result.driftBase, changes: result.drift },
    rebase: result.rebase,
    problems: result.problems,
    notes: result.notes,
  }),
  exitCode: (result) => (result.problems.length ? 1 : result.exitCodeWanted && result.pending + result.changed + result.failed > 0 ? 2 : 0),
}
