/**
 * The `migrate:lint` findings the dev panel shows beside the pending changes. The hook where the linter
 * plugs in: `okra db:migrate:lint` is being built separately, and until it is wired here the panel shows
 * no findings (this returns []).
 */
import type { PendingChanges } from '../panel/source'
import type { Project } from '../project/load'
import type { SnapshotChanges } from '../migrations/diff'

export type LintFinding = PendingChanges['lint'][number]

/** The lint findings on the changes since the snapshot (what the next migration would hold). */
export async function lintPendingChanges(_project: Project, _pending: SnapshotChanges): Promise<LintFinding[]> {
  return []
}
