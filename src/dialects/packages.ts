/**
 * How the drivers require their packages. The `okra` program runs its CLI through V8's code cache
 * (src/code-cache.ts), so in the CLI bundle the packages' JavaScript is cached too instead of being
 * resolved, read and compiled file by file at every command: better-sqlite3's small library is bundled
 * into the CLI file itself; pg, five times its size, is a bundle of its own (dist/pg.cjs) with its own
 * cache, so commands on SQLite do not read it (pg took about 8 ms of each command on PostgreSQL). The
 * library's modules require the installed packages. better-sqlite3's native addon is always the one npm
 * installed.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type BetterSqlite3 from 'better-sqlite3'
import { requireWithCodeCache } from '../code-cache'

/** True in the CLI bundle only (tsup.config.ts defines it there); a literal `require('better-sqlite3')` is what the bundler bundles. */
declare const __OKRA_CLI_BUNDLE__: boolean | undefined
const IN_CLI_BUNDLE = typeof __OKRA_CLI_BUNDLE__ === 'boolean' && __OKRA_CLI_BUNDLE__

/** Node's require for the packages installed beside OKRA. */
export const installed = createRequire(import.meta.url)

export function requirePg(): typeof import('pg') {
  if (!IN_CLI_BUNDLE) return installed('pg')
  return requireWithCodeCache(fileURLToPath(new URL('pg.cjs', import.meta.url)), 'pg') as typeof import('pg')
}

export function requireBetterSqlite3(): typeof BetterSqlite3 {
  return IN_CLI_BUNDLE ? require('better-sqlite3') : installed('better-sqlite3')
}
