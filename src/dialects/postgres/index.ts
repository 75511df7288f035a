/**
 * PostgreSQL, as OKRA uses it: one schema of a database (`?schema=`, default `public`), through
 * node-postgres. DDL is transactional, enums are types of their own, and a sync holds a transaction
 * advisory lock.
 */
import { maskUrl, rememberSecrets } from '../../config/url'
import { OkraError } from '../../errors'
import { sql } from '../../sql/statement'
import { UPDATED_AT_FUNCTION } from '../../sql/names'
import type { DatabaseTarget, Dialect } from '../dialect'
import { postgresBehaviour } from './behaviour'
import { backupSchemaOf, postgresBackupLabel } from './backup'
import { quote } from './ddl'
import { POSTGRES_SYNTAX } from './syntax'
import { renderPostgres } from './render'
import { postgresTypes } from './types'


/** `postgres://user:password@host:port/db?schema=name`: the connection string for pg (without `schema`), the schema, the secrets. */
function target(url: string): DatabaseTarget {
  rememberSecrets(url)
  const displayUrl = maskUrl(url)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new OkraError(
      `Invalid PostgreSQL URL: ${displayUrl}`,
      'Write it as postgres://user@host:5432/database with ":" and the password after the user name; percent-encode # / ? in the password (%23 %2F %3F).',
    )
  }
  const schema = parsed.searchParams.get('schema') ?? 'public'
  if (schema === '' || Buffer.byteLength(schema) > 63) {
    throw new OkraError(`Invalid schema "${schema}" in the PostgreSQL URL ${displayUrl}`, 'Write ?schema=NAME with a name of 1 to 63 bytes, or leave it out for public.')
  }
  // Another way of naming the schema would be overridden by OKRA's own search_path: say so rather than work in public.
  const other = parsed.searchParams.has('currentSchema') ? 'currentSchema=' : /search_path/i.test(parsed.searchParams.get('options') ?? '') ? 'options=-c search_path=' : undefined
  if (other) {
    throw new OkraError(`The PostgreSQL URL ${displayUrl} names its schema with ${other}, which OKRA does not read`, 'Use ?schema=NAME instead: OKRA then works in that schema alone.')
  }
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
  keepThroughRebuilds: (_db, _script, run) => run(),
  // Unqualified names resolve in the project's schema only (the driver's search_path is that schema alone).
  resetStatements: ({ tables, enums, schema = 'public' }, create) => [
    // CASCADE drops other tables' foreign keys into these tables (never their rows).
    ...tables.map((t) => sql(`DROP TABLE IF EXISTS ${quote.identifier(t)} CASCADE`)),
    ...enums.map((e) => sql(`DROP TYPE IF EXISTS ${quote.identifier(e)}`)),
    sql(`DROP FUNCTION IF EXISTS ${quote.identifier(UPDATED_AT_FUNCTION)}()`),
    sql(`DROP SCHEMA IF EXISTS ${quote.identifier(backupSchemaOf(schema))} CASCADE`),
    ...create,
  ],
  timeType: 'TIMESTAMPTZ(3)',
  syncIsolation: 'one-transaction',
  hasDatabaseNamedIndexes: async () => false,
  backupBeforeMigrations: false,
  newProject: { urlInConfig: false, localFiles: () => [] },
  backupPlace: (t) => `a copy of the affected tables in the ${backupSchemaOf(t.schema ?? 'public')} schema`,
  backupLabel: (t) => postgresBackupLabel(t.connectionString!, t.schema ?? 'public'),
  target,
  exists: () => true,
  connect: async (t) => (await import('./driver')).openPostgres(t, postgres),
}
