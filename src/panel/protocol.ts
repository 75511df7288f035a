/**
 * What the panel's server and its page say to each other: the paths under the base, the event, the
 * token header, and the JSON they carry. Types and constants only, so the page can import it.
 */
import type { DiagramData } from './diagram'
import type { ConsentDecision, ConsentRequest, PanelProblem, PanelProject, PanelTable, PendingChanges, SyncLogEntry } from './source'

/** Where the panel answers on a dev server: the page at the base, everything else under it. */
export const PANEL_BASE = '/__okra/'

/** Paths under the base (`/__okra/`). */
export const API = {
  state: 'api/state',
  events: 'api/events',
  model: 'api/model',
  consent: 'api/consent',
} as const

/**
 * The Server-Sent Event that carries the whole state (`data`: PanelState as JSON). The page already
 * holds the state it was served with, so it connects with `?since=<instance>:<version>` and the first
 * event comes only if the state changed since.
 */
export const STATE_EVENT = 'state'

/** The id of the `<script type="application/json">` element the page is served with its state in. */
export const STATE_ELEMENT = 'okra-state'

/** The header a state-changing request carries the page's token in. */
export const TOKEN_HEADER = 'x-okra-token'

export type Language = 'typescript' | 'go' | 'python'

export interface PanelState {
  /**
   * This server's random id. A page that gets a state from another instance (the dev server restarted)
   * reloads: its token belongs to the old one.
   */
  instance: string
  /** Grows with every change (from 0 when the server starts). */
  version: number
  /** The hash of the last valid schema: the page lays the diagram out again only when it changes. */
  schemaHash: string | null
  /** The last valid schema as diagram data (the page lays it out). */
  diagram: DiagramData | null
  problem: PanelProblem | null
  project: PanelProject
  pending: PendingChanges | null
  syncLog: SyncLogEntry[]
  consents: ConsentRequest[]
}

/** What the page shows about one model on demand: its generated code and its table in the database. */
export interface ModelDetails {
  name: string
  /** The model's declaration in each generated language: TypeScript always, Go and Python when configured. */
  code: Partial<Record<Language, string>>
  table: PanelTable
}

/** `POST api/consent` body. */
export interface ConsentBody {
  id: string
  decision: ConsentDecision
}
