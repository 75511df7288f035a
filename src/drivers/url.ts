/**
 * Database URLs: which provider and where, and the masked form that is the only one ever printed.
 * Accepted: `sqlite://path`, `sqlite://:memory:`, `file:path` (relative paths from the project root),
 * `postgres://` and `postgresql://` (with an optional `?schema=name`, default `public`).
 */
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { maskUrl } from '../config/url'
import { OkraError } from '../errors'

export { maskUrl }

export type DatabaseTarget =
  | { provider: 'sqlite'; /** absolute path, or `:memory:` */ file: string; displayUrl: string }
  | {
      provider: 'postgres'
      /** The URL for pg, without OKRA's own `schema` parameter. */
      connectionString: string
      schema: string
      displayUrl: string
      /** Every secret in the URL, to scrub from any message that might echo it. */
      secrets: string[]
    }

export function parseDatabaseUrl(url: string, root: string): DatabaseTarget {
  const displayUrl = maskUrl(url)
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgresUrl(url, displayUrl)
  const sqlite = /^(?:sqlite:(?:\/\/)?|file:)(.*)$/i.exec(url)
  if (sqlite) return { provider: 'sqlite', file: sqliteFile(url, sqlite[1]!, root, displayUrl), displayUrl }
  throw new OkraError(
    `Unsupported database URL: ${displayUrl}`,
    'Use sqlite://./dev.db, sqlite://:memory:, file:./dev.db, or postgres://user:password@host:5432/db.',
  )
}

function sqliteFile(url: string, rawPath: string, root: string, displayUrl: string): string {
  const path = rawPath.replace(/[?#].*$/, '')
  if (path === ':memory:') return ':memory:'
  if (path === '') {
    throw new OkraError(`The SQLite URL ${displayUrl} names no file`, 'Write it as sqlite://./dev.db (relative to the project root) or sqlite:///absolute/path.db.')
  }
  if (/^file:\/\//i.test(url)) return fileURLToPath(url.replace(/[?#].*$/, ''))
  return isAbsolute(path) ? path : resolve(root, path)
}

function parsePostgresUrl(url: string, displayUrl: string): DatabaseTarget {
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

/** Replaces every secret in `text` by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***')
  return out
}
