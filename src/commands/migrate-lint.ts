/**
 * `okra migrate:lint`: risky statements in the pending (or all) migrations (src/migrations/lint/).
 * `--exit-code` exits 2 when a finding is an error, for CI.
 */
import type { CommandWiring } from './types'
import { fileOnlyOptions } from '../config/load'
import type { LintFinding } from '../migrations/lint/index'
import { type LintResult, lintMigrations } from '../migrations/lint/run'
import type { Paint } from '../language/diagnostics'
import { plural } from '../terminal'

type LintCliResult = LintResult & { exitCodeWanted: boolean }

export const command: CommandWiring<LintCliResult> = {
  description:
    'Checks the pending migrations (not yet in the database\'s _okra_migrations; --all: every one) for risky statements, derived and hand-written SQL alike: ' +
    'each finding has a code (drop-table, drop-column, drop-enum-value, not-null-without-default, add-unique, column-type-change, rename-table, rename-column, ' +
    'index-not-concurrent, transaction-control, edited-sql), a severity, the migration, the statement\'s line, and a fix. ' +
    'Without a reachable database every migration counts as pending, and it says so. A line `-- okra:lint-ignore CODE` above a statement silences it.',
  flags: {
    all: { type: 'boolean', description: 'lint every migration, not only the pending ones (opens no database)' },
    'exit-code': { type: 'boolean', description: 'exit 2 when a finding has severity error' },
  },
  async run(context, flags) {
    // A missing database URL is no error: without a database every migration counts as pending.
    const result = await lintMigrations({ ...fileOnlyOptions(context), all: flags.all === true })
    return { ...result, exitCodeWanted: flags['exit-code'] === true }
  },
  printText(result, { stdout, stderr }) {
    if (result.database === 'unreachable') {
      stderr.line(stderr.paint.yellow(`warning: could not read ${result.url || 'the database'} (${result.databaseError}): every migration counts as pending. Use --all to say so, or run it where the database is reachable.`))
    }
    const scope = result.scope === 'all' ? 'migration' : 'pending migration'
    if (result.migrations.length === 0) {
      stdout.line(`${stdout.paint.cyan('✓')} No ${scope}s to lint${result.database === 'exists' ? ` on ${result.url}` : ''}.`)
      return
    }
    printFindings(result.findings, stdout.paint, (line) => stdout.line(line))
    const summary = `${plural(result.migrations.length, scope)} linted for ${result.provider}: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}`
    stdout.line(result.findings.length === 0 ? `${stdout.paint.cyan('✓')} ${summary}.` : `${summary}.`)
  },
  toJSON: (result) => ({
    ok: true,
    provider: result.provider,
    url: result.url,
    scope: result.scope,
    database: result.database,
    ...(result.databaseError ? { databaseError: result.databaseError } : {}),
    migrations: result.migrations,
    findings: result.findings,
    errors: result.errors,
    warnings: result.warnings,
  }),
  exitCode: (result) => (result.exitCodeWanted && result.errors > 0 ? 2 : 0),
}

/**
 * Findings grouped by migration: `error drop-column  migrations/<id>/migration.sql:4  message`, then the
 * fix. Derived SQL has no file: its line is the line `okra migrate:up --dry-run` prints.
 */
export function printFindings(findings: readonly LintFinding[], paint: Paint, print: (line: string) => void): void {
  let migration: string | undefined
  for (const f of findings) {
    if (f.migration !== migration) {
      migration = f.migration
      print(paint.bold(f.migration))
    }
    const severity = f.severity === 'error' ? paint.red('error  ') : paint.yellow('warning')
    const where = f.file ? `${f.file}:${f.line}` : `derived SQL line ${f.line}`
    print(`  ${severity} ${f.code}  ${where}: ${f.message}`)
    print(paint.dim(`          fix: ${f.fix}`))
  }
}
