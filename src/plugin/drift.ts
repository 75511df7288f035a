/**
 * The production gate: a build must not ship a schema that no committed migration describes. It
 * compares the schema with migrations/snapshot/schema.json, and checks that the migration history is one
 * line whose head is that snapshot (files only: it never opens a database).
 */
import { displayPath } from '../fs'
import { OkraError } from '../errors'
import { changesSinceSnapshot } from '../migrations/diff'
import { migrationPaths } from '../project/paths'
import type { Project } from '../project/load'
import { type ChainProblem, ChainError, chainMessage, inspectChain } from '../migrations/chain-check'

export const SNAPSHOT_COMMAND = 'okra db:migrate:snapshot'

export interface DriftReport {
  /** False when migrations/snapshot/schema.json does not exist. */
  snapshotExists: boolean
  /** The snapshot file, relative to the root. */
  snapshotFile: string
  /** One line per change since the snapshot (`+ Added field 'phone' to User`). */
  changes: string[]
  /** True when there is something to snapshot. */
  drifted: boolean
  /** Rename hints that are stale or in conflict: reported, never a failure. */
  warnings: string[]
  /** What is wrong with the migration history (a fork, a hole, a snapshot that is not the head): the gate fails on these too. */
  history: ChainProblem[]
}

export async function checkDrift(project: Project): Promise<DriftReport> {
  const { config } = project
  const snapshotFile = displayPath(config.root, migrationPaths(config).snapshotSchema)
  const chain = await inspectChain(config)
  const result = await changesSinceSnapshot(project)
  const snapshotExists = result.snapshot !== null
  return {
    snapshotExists,
    snapshotFile,
    changes: result.summaries,
    drifted: !snapshotExists || result.changes.length > 0 || chain.problems.length > 0,
    warnings: result.warnings.map((w) => w.message),
    history: chain.problems,
  }
}

/** The gate's failure: the changes, one per line, and the command that fixes it. */
export class DriftError extends OkraError {
  override name = 'DriftError'
  constructor(readonly report: DriftReport) {
    super(
      driftMessage(report),
      report.history.length
        ? new ChainError(report.history).hint
        : `Run \`${SNAPSHOT_COMMAND}\` to write the migration for these changes, commit it, and build again.`,
    )
  }
}

export function driftMessage(report: DriftReport): string {
  // A broken history first: "the changes since the snapshot" mean nothing until it is one line again.
  if (report.history.length) return chainMessage(report.history)
  const count = `${report.changes.length} change${report.changes.length === 1 ? '' : 's'}`
  const head = report.snapshotExists
    ? `Schema drift: the schema differs from ${report.snapshotFile} (${count} without a migration):`
    : `No migration snapshot: ${report.snapshotFile} does not exist, so no migration creates this schema (${count}):`
  return [head, ...report.changes.map((line) => `  ${line}`)].join('\n')
}

/** The one line a `drift: 'warn'` build prints, with the same list and command. */
export function driftWarning(report: DriftReport): string {
  if (report.history.length) return `${driftMessage(report)}\n${new ChainError(report.history).hint}`
  return `${driftMessage(report)}\nRun \`${SNAPSHOT_COMMAND}\` before shipping this build.`
}
