/**
 * `okra migrate:status`: every migration, applied (with its date), pending, changed after it was applied,
 * or failed; and drift: how the live database (introspected) differs from the schema of the newest applied
 * migration, i.e. what was changed in the database without a migration.
 */
import type { CommandWiring } from '../cli'
import { configOptions } from '../config/load'
import { diff, summaries } from '../diff/index'
import { physicalWithoutHints } from '../migrations/derive'
import { folderSchema } from '../migrations/folders'
import { readHistory } from '../migrations/history'
import { formatDate, makeLedger } from '../migrations/ledger'
import { type MigrationsOptions, openSession, withDatabase } from '../migrations/session'
import type { Provider } from '../schema/physical-types'

export type MigrationState = 'applied' | 'pending' | 'changed' | 'failed' | 'missing'

export interface MigrationStatusEntry {
  id: string
  state: MigrationState
  /** When applied (or failed), ISO-8601. */
  appliedAt: string | null
  /** For `changed`: what changed (`migration.sql changed`). */
  changes: string[]
  /** Pending, but older than the newest applied migration (merged from another branch). */
  outOfOrder: boolean
}

export interface MigrateStatusResult {
  url: string
  provider: Provider
  migrations: MigrationStatusEntry[]
  /** The migration whose schema the database is compared with (the newest applied one), or null when none is applied. */
  driftBase: string | null
  /** One line per difference between that schema and the live database (`+ Added field 'x' to users`: the database has more). */
  drift: string[]
  pending: number
  changed: number
  failed: number
}

export async function migrateStatus(options: MigrationsOptions = {}): Promise<MigrateStatusResult> {
  const session = await openSession(options)
  return withDatabase(session.config, options, async (driver) => {
    const ledger = makeLedger(session.folders, await readHistory(driver, driver.provider))
    const changed = new Map(ledger.changed.map((c) => [c.folder.id, c.files]))
    const outOfOrder = new Set(ledger.outOfOrder.map((f) => f.id))
    const entries: MigrationStatusEntry[] = session.folders.map((folder) => {
      const row = ledger.rows.get(folder.id)
      const state: MigrationState = !row ? 'pending' : row.status === 'failed' ? 'failed' : changed.has(folder.id) ? 'changed' : 'applied'
      return { id: folder.id, state, appliedAt: row?.appliedAt ?? null, changes: changed.get(folder.id) ?? [], outOfOrder: outOfOrder.has(folder.id) }
    })
    for (const row of ledger.missing) entries.push({ id: row.id, state: 'missing', appliedAt: row.appliedAt, changes: [], outOfOrder: false })
    entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

    const base = [...session.folders].reverse().find((f) => ledger.rows.get(f.id)?.status === 'applied')
    const expected = physicalWithoutHints(base ? folderSchema(base) : null, driver.provider)
    const { changes } = await diff(expected, await driver.introspect())
    const count = (state: MigrationState) => entries.filter((e) => e.state === state).length
    return {
      url: driver.displayUrl,
      provider: driver.provider,
      migrations: entries,
      driftBase: base?.id ?? null,
      drift: summaries(changes),
      pending: count('pending'),
      changed: count('changed'),
      failed: count('failed'),
    }
  })
}

const MARKS: Record<MigrationState, string> = { applied: '✓', pending: '○', changed: '✗', failed: '✗', missing: '?' }

function describe(entry: MigrationStatusEntry): string {
  const date = entry.appliedAt ? formatDate(entry.appliedAt) : ''
  switch (entry.state) {
    case 'applied':
      return `applied ${date}`
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

/** The CLI's result: with --exit-code, pending, changed or failed migrations exit 2. */
type StatusCliResult = MigrateStatusResult & { exitCodeWanted: boolean }

export const command: CommandWiring<StatusCliResult> = {
  description:
    'Lists every migration: ✓ applied (with its date), ○ pending, ✗ changed after it was applied (or failed); then the drift of the live database from the schema of the newest applied migration.',
  flags: {
    'exit-code': { type: 'boolean', description: 'exit 2 when a migration is pending, changed or failed' },
  },
  run: async (context, flags) => ({
    ...(await migrateStatus(configOptions(context))),
    exitCodeWanted: flags['exit-code'] === true,
  }),
  printText(result, { stdout }) {
    const { paint } = stdout
    const width = Math.max(0, ...result.migrations.map((m) => m.id.length))
    if (result.migrations.length === 0) stdout.line('No migrations yet (create one with okra db:migrate:snapshot).')
    for (const m of result.migrations) {
      const mark = m.state === 'applied' ? paint.cyan(MARKS[m.state]) : m.state === 'pending' ? MARKS[m.state] : paint.red(MARKS[m.state])
      stdout.line(`${mark} ${m.id.padEnd(width)}  ${describe(m)}`)
    }
    const counts = [`${result.migrations.filter((m) => m.state === 'applied').length} applied`, `${result.pending} pending`]
    if (result.changed) counts.push(`${result.changed} changed`)
    if (result.failed) counts.push(`${result.failed} failed`)
    stdout.line(`${counts.join(', ')} on ${result.url}`)
    if (result.drift.length === 0) {
      stdout.line(`No drift: the database matches ${result.driftBase ? `the schema of ${result.driftBase}` : 'an empty schema (no migration applied)'}.`)
    } else {
      stdout.line(paint.yellow(`Drift: the database differs from ${result.driftBase ? `the schema of ${result.driftBase}` : 'an empty schema (no migration applied)'}:`))
      for (const line of result.drift) stdout.line(`  ${line}`)
    }
  },
  toJSON: (result) => ({
    ok: true,
    url: result.url,
    provider: result.provider,
    migrations: result.migrations,
    pending: result.pending,
    changed: result.changed,
    failed: result.failed,
    drift: { base: result.driftBase, changes: result.drift },
  }),
  exitCode: (result) => (result.exitCodeWanted && result.pending + result.changed + result.failed > 0 ? 2 : 0),
}
