/**
 * PostgreSQL, as OKRA uses it: one schema of a database (`?schema=`, default `public`), through
 * node-postgres. DDL is transactional, enums are types of their own, and a sync holds a transaction
 * advisory lock.
 */
import { maskUrl } from '../../config/url'
import { OkraError } from '../../errors'
import { sql } from '../../sql/statement'
import { UPDATED_AT_FUNCTION } from '../../sql/names'
import type { DatabaseTarget, Dialect } from '../dialect'
import { postgresBehaviour } from './behaviour'
import { BACKUP_SCHEMA } from './backup'
import { quote } from './ddl'
import { POSTGRES_SYNTAX } from './syntax'
import { renderPostgres } from './render'
import { postgresTypes } from './types'


/** `postgres://user:password@host:port/db?schema=name`: the connection string for pg (without `schema`), the schema, the secrets. */
function target(url: string): DatabaseTarget {
  const displayUrl = maskUrl(url)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new OkraError(
      `Invalid PostgreSQL URL: ${displayUrl}`,
      'Write it as postgres://user:password@host:5432/database; percent-encode special characters in the password.',
    )
  }
  const schema = parsed.searchParams.get('schema') ?? 'public'
  const secrets = [...new Set([parsed.password, safeDecode(parsed.password), parsed.searchParams.get('password') ?? '', parsed.searchParams.get('sslpassword') ?? ''])].filter((s) => s.length > 0)
  parsed.searchParams.delete('schema')
  return { provider: 'postgres', connectionString: parsed.toString(), schema, displayUrl, secrets }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}


export const postgres: Dialect = {
  provider: 'postgres',
  displayName: 'PostgreSQL',
  behaviour: postgresBehaviour,
  types: postgresTypes,
  quote,
  syntax: POSTGRES_SYNTAX,
  render: (changes) => renderPostgres(changes),
  runsOutsideTransaction: () => false,
  resetStatements: ({ tables, enums }, create) => [
    // CASCADE drops other tables' foreign keys into these tables (never their rows).
    ...tables.map((t) => sql(`DROP TABLE IF EXISTS ${quote.identifier(t)} CASCADE`)),
    ...enums.map((e) => sql(`DROP TYPE IF EXISTS ${quote.identifier(e)}`)),
    sql(`DROP FUNCTION IF EXISTS ${quote.identifier(UPDATED_AT_FUNCTION)}()`),
    sql(`DROP SCHEMA IF EXISTS ${quote.identifier(BACKUP_SCHEMA)} CASCADE`),
    ...create,
  ],
  timeType: 'TIMESTAMPTZ(3)',
  syncIsolation: 'one-transaction',
  hasDatabaseNamedIndexes: async () => false,
  backupBeforeMigrations: false,
  newProject: { urlInConfig: false, localFiles: () => [] },
  backupPlace: () => `a copy of the affected tables in the ${BACKUP_SCHEMA} schema`,
  target,
  exists: () => true,
  connect: async (t) => (await import('./driver')).openPostgres(t, postgres),
}
