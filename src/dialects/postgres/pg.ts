/**
 * pg, loaded when a PostgreSQL database is first opened (a command on SQLite never loads it).
 *
 * On loading, pg asks whether it runs in a Cloudflare Worker: it reads `navigator.userAgent`, and where
 * there is no `navigator` (Node 20) it makes a `Response`, and touching that global makes Node load its
 * whole fetch implementation: about 25 ms of every `okra` command on PostgreSQL. While pg loads, a
 * `navigator` saying Node answers the question instead; it is removed as soon as pg has loaded.
 */
import { requirePg } from '../packages'

export type PgModule = typeof import('pg')

let pg: PgModule | undefined

export function loadPg(): PgModule {
  if (pg) return pg
  if ('navigator' in globalThis) return (pg = requirePg())
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true })
  try {
    return (pg = requirePg())
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator
  }
}

