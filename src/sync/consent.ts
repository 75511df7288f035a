/**
 * Consent for destructive changes: each risk of each destructive change is counted on
 * the database as it is, with the query the differ gives. A change whose risks count no rows needs no
 * consent; the others need `--accept-data-loss`, a yes at a terminal, or (auto-sync) a backup first.
 */
import type { Change, Risk } from '../diff/index'
import { describeRisk, summarize } from '../diff/index'
import type { Queryable } from '../dialects/index'
import { OkraError } from '../errors'

/** One risk of a destructive change that affects rows. */
export interface DataAtRisk {
  change: Change
  /** The change's summary line (`- Removed field 'fax' from User`), when it has one. */
  summary?: string
  risk: Risk
  /** Rows (values, groups) affected; always > 0. */
  count: number
  /** `- Removed field 'fax' from User: dropping column users.fax loses 1,200 non-null values`. */
  line: string
}

/** Counts the rows at risk; returns the risks that affect at least one. Run before anything is applied. */
export async function dataAtRisk(db: Queryable, changes: readonly Change[]): Promise<DataAtRisk[]> {
  const out: DataAtRisk[] = []
  for (const change of changes) {
    if (change.safety.level !== 'destructive') continue
    const summary = summarize(change)
    for (const risk of change.safety.risks) {
      const [row] = await db.query<{ count: number | string }>(risk.countSql)
      const count = Number(row?.count ?? 0)
      if (count === 0) continue
      const what = describeRisk(risk, count)
      out.push({ change, ...(summary ? { summary } : {}), risk, count, line: summary ? `${summary}: ${what}` : `~ ${what}` })
    }
  }
  return out
}

/**
 * Whether a consent given for `consented` (the rows counted when the question was asked) covers what is
 * at risk now, counted again inside the write transaction: no risk new, none grown. Rows written in
 * between would otherwise be lost without anyone having agreed.
 */
export function consentCovers(now: readonly DataAtRisk[], consented: readonly DataAtRisk[]): boolean {
  const given = new Map(consented.map((r) => [r.risk.countSql, r.count]))
  return now.every((r) => (given.get(r.risk.countSql) ?? 0) >= r.count)
}

/** A sync that would lose data and was not allowed to: nothing was changed. Exit code 1. */
export class DataLossError extends OkraError {
  override name = 'DataLossError'
  constructor(
    readonly atRisk: DataAtRisk[],
    /** The user answered no at the prompt (rather than there being no prompt). */
    readonly declined = false,
  ) {
    super(
      `${declined ? 'Sync cancelled' : 'Sync stopped'}: these changes would lose data, so nothing was changed:\n` +
        atRisk.map((r) => `  ${r.line}`).join('\n'),
      declined
        ? 'Nothing was changed. Run it again with --accept-data-loss to apply them anyway, or change the schema (add a default, a @renamed hint, ...).'
        : 'Run it again with --accept-data-loss to apply them anyway (or answer yes at a terminal), or change the schema (add a default, a @renamed hint, ...).',
    )
  }
}

/** The question asked at a terminal. */
export function consentQuestion(atRisk: readonly DataAtRisk[]): string {
  return `These changes would lose data:\n${atRisk.map((r) => `  ${r.line}`).join('\n')}\nApply them anyway?`
}
