/**
 * The `migrate:lint` findings the dev panel shows beside the pending changes: the changes since the
 * snapshot (what the next migration would hold), linted as `db:migrate:snapshot` will lint that migration.
 */
import { dialectOf } from '../dialects/index'
import { NEXT_MIGRATION, lintMigration } from '../migrations/lint/index'
import type { SnapshotChanges } from '../migrations/diff'
import type { PendingChanges } from '../panel/source'
import type { Project } from '../project/load'
import { toScript } from '../sql/statement'

export type LintFinding = PendingChanges['lint'][number]

/** The lint findings on the changes since the snapshot, for the configured provider. */
export async function lintPendingChanges(project: Project, pending: SnapshotChanges): Promise<LintFinding[]> {
  if (pending.changes.length === 0) return []
  const provider = project.config.database.provider
  const script = toScript(dialectOf(provider).render(pending.changes, pending.to, pending.from))
  const findings = lintMigration({ migration: NEXT_MIGRATION, file: null, provider, script, transactional: true, before: pending.from, changes: pending.changes })
  return findings.map((f) => ({ severity: f.severity, message: `${f.code}: ${f.message}`, hint: f.fix }))
}
