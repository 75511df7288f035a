/**
 * What the dev panel shows, and where it comes from. The panel's server (handler.ts) reads a
 * `PanelSource`: the plugin's dev server and `okra dev --ui` implement it over their context; tests
 * implement it in memory. Everything a source returns is shown to the page as it is, so it must hold
 * no password: database URLs go through `maskUrl` before they get here (the handler masks every
 * string once more before anything leaves the server).
 */
import type { DbTable, Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'

export interface PanelSource {
  /** The state now. Called for every request and after every notification, so it should be cheap. */
  current(): PanelSnapshot
  /** `listener` is called after every change of the state; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void
  /**
   * The developer's decision on a destructive change waiting for consent (`autoSync: 'ask'`): `apply`
   * (after a backup) or `keep` the database as it is. Resolves once the decision is taken (not once the
   * sync finished: the state says that). Rejects with a `PanelRequestError` for an unknown or already
   * decided id.
   */
  decide(consentId: string, decision: ConsentDecision): Promise<void>
  /**
   * The model's table as the database has it (introspected), when the source can read the database.
   * Without this method the page says that the table is not available here.
   */
  table?(model: string): Promise<PanelTable>
}

export type ConsentDecision = 'apply' | 'keep'

export interface PanelSnapshot {
  /** The last valid schema: kept while the schema files have a problem. Null until one was valid. */
  schema: Schema | null
  /** The current problem of the schema files or the config, or null. */
  problem: PanelProblem | null
  project: PanelProject
  /** What the next snapshot would hold; null until known. */
  pending: PendingChanges | null
  /** Auto-syncs, newest first. */
  syncLog: SyncLogEntry[]
  /** Destructive changes waiting for the developer's decision, oldest first. */
  consents: ConsentRequest[]
}

export interface PanelProblem {
  /** The whole message: every diagnostic with its location, and the hint. */
  text: string
  /** The source line with a caret under the first error. */
  frame?: string
  /** The first error's place: file relative to the root, 1-based line and column. */
  file?: string
  line?: number
  column?: number
}

export interface PanelProject {
  /** The project's folder name (the root's last segment). */
  name: string
  env: string
  provider: Provider
  /** The dev database URL, password masked. */
  database: string
  /** `ask`: destructive changes wait for a decision in the panel. */
  autoSync: 'on' | 'off' | 'ask'
  /** Why auto-sync is off, when it is. */
  autoSyncOff?: string
  /** Schema files, relative to the root. */
  schemaFiles: string[]
  /** The languages generated besides TypeScript, as configured. */
  generate: { go?: { package?: string }; python?: object }
}

export interface PendingChanges {
  /** False when there is no snapshot yet: every model counts as new. */
  hasSnapshot: boolean
  /** One line per change: `+ Added field 'phone' to User`. */
  summaries: string[]
  /** The statements per configured provider. */
  sql: { provider: Provider; statements: string[] }[]
  /** The destructive changes (`summary` is one of `summaries`) and what each destroys or fails on. */
  destructive: { summary: string; destroys: string }[]
  /** `migrate:lint` findings. */
  lint: { severity: 'error' | 'warning'; message: string; hint?: string }[]
  /** Rename hints that are stale or conflict. */
  warnings: string[]
}

export interface SyncLogEntry {
  /** Unique within the log (the page keys rows by it). */
  id: string
  /** When the sync started, ISO 8601. */
  at: string
  durationMs: number
  /** One line per change applied; empty when the database was already up to date. */
  changes: string[]
  /** Where the backup went and how to restore it, when one was taken. */
  backup?: string
  /** Why the sync failed. */
  error?: string
  /**
   * Why nothing was applied although changes are pending (`autoSync: 'ask'`): a decision waits, or the
   * developer kept the database as it is; with the changes held.
   */
  held?: string
}

export interface ConsentRequest {
  /** Unique; sent back with the decision. */
  id: string
  /** When the change began to wait, ISO 8601. */
  since: string
  /** Each destructive change with the rows it affects. */
  changes: { line: string; count: number }[]
  /** What `apply` backs up first (`a copy of dev.db in .okra/backups/`). */
  backup: string
}

/** A table as the database has it; `table: null` when the database has no such table (yet). */
export type PanelTable = { table: DbTable | null } | { unavailable: string }

/** A request the source refuses: the handler answers with `status` and the message. */
export class PanelRequestError extends Error {
  override name = 'PanelRequestError'
  constructor(
    readonly status: 404 | 409 | 400,
    message: string,
  ) {
    super(message)
  }
}
