/**
 * `autoSync: 'ask'`: auto-sync applies every change except a destructive one that affects rows; that
 * one waits for the developer's decision in the dev panel. The desk holds:
 *
 * - the request that waits: at most one, from the latest sync that stopped (an older one is stale once
 *   the schema moved on);
 * - the change set the developer allowed: the next sync applies it after a backup, but only if it
 *   stops at the very same changes (else the developer is asked again);
 * - the change sets the developer chose to keep: the database stays as it is and the panel does not ask
 *   again while they are pending (a sync that goes through forgets them).
 *
 * A change set is named by its destructive changes and what each of them risks, not by the row counts:
 * rows come and go while the developer reads.
 */
import { randomBytes } from '../hash'
import type { DataAtRisk } from '../sync/consent'

export type ConsentDecision = 'apply' | 'keep'

export interface WaitingConsent {
  /** Random: sent back with the decision. */
  id: string
  /** When it began to wait, ISO 8601. */
  since: string
  /** Each destructive change with the rows it affects (counted by the latest sync). */
  changes: { line: string; count: number }[]
  /** What `apply` backs up first, in words. */
  backup: string
}

/** What the sync that stopped does next. */
export type NextStep = 'apply' | 'asks' | 'waits' | 'kept'

export class ConsentDesk {
  private current: { request: WaitingConsent; key: string } | undefined
  private allowed: string | undefined
  private readonly kept = new Set<string>()

  /** The request that waits for a decision, if any: the same object until it changes. */
  get waiting(): WaitingConsent | undefined {
    return this.current?.request
  }

  /**
   * A sync stopped at these changes: `apply` them now with a backup (the developer allowed exactly these),
   * or hold them: the panel `asks` (a new request), still `waits` (the same request, counts updated), or the
   * developer `kept` the database as it is.
   */
  stopped(atRisk: readonly DataAtRisk[], backup: string): NextStep {
    const key = changeSetKey(atRisk)
    const allowed = this.allowed
    this.allowed = undefined
    if (allowed === key) {
      this.current = undefined
      return 'apply'
    }
    if (this.kept.has(key)) {
      this.current = undefined
      return 'kept'
    }
    const changes = atRisk.map((r) => ({ line: r.line, count: r.count }))
    if (this.current?.key === key) {
      const { request } = this.current
      if (JSON.stringify(request.changes) !== JSON.stringify(changes) || request.backup !== backup) this.current = { key, request: { ...request, changes, backup } }
      return 'waits'
    }
    this.current = { key, request: { id: randomBytes(12).toString('base64url'), since: new Date().toISOString(), changes, backup } }
    return 'asks'
  }

  /** A sync went through: no request is current, and nothing kept is remembered. */
  settled(): void {
    this.current = undefined
    this.allowed = undefined
    this.kept.clear()
  }

  /** Takes the developer's decision on the waiting request; false when no request with this id waits. */
  decide(id: string, decision: ConsentDecision): boolean {
    if (!this.current || this.current.request.id !== id) return false
    if (decision === 'apply') this.allowed = this.current.key
    else this.kept.add(this.current.key)
    this.current = undefined
    return true
  }
}

/** The destructive changes and their risks, without counts. */
function changeSetKey(atRisk: readonly DataAtRisk[]): string {
  return JSON.stringify(atRisk.map((r) => [r.summary ?? '', r.risk.reason, r.risk.countSql]))
}
