/**
 * The two schema states OKRA keeps as files (the schema itself lives in the `*.okra.gql` files):
 *
 * - `migrations/snapshot/schema.json`: the last committed schema (written by `db:migrate:snapshot`);
 * - `migrations/current/schema.json`: the schema the dev database was last synced to (git-ignored,
 *   canonical JSON, written atomically by `db:sync`). When the hash the database records in
 *   `_okra_state` is this file's hash, the file describes the database exactly and sync needs no
 *   introspection.
 */
import { sha256Hex } from '../hash'
import type { ResolvedConfig } from '../config/types'
import { OkraError } from '../errors'
import { displayPath, readTextIfExists, writeFileAtomic } from '../fs'
import { canonicalJSON, parseSchemaJSON } from '../schema/canonical'
import type { Schema } from '../schema/types'
import { migrationPaths } from './paths'

const shown = (config: ResolvedConfig, path: string) => displayPath(config.root, path)

/** `migrations/snapshot/schema.json`, or null when there is no snapshot yet. A file that is not a schema throws an OkraError. */
export function readSnapshotSchema(config: ResolvedConfig): Schema | null {
  const path = migrationPaths(config).snapshotSchema
  const text = readTextIfExists(path)
  return text === undefined ? null : parseSchemaJSON(text, shown(config, path))
}

/**
 * `migrations/current/schema.json`, or null when it is missing. A damaged file also reads as null: the
 * folder is local state that sync can always rebuild by introspecting the database.
 */
export function readCurrentSchema(config: ResolvedConfig): Schema | null {
  const path = migrationPaths(config).currentSchema
  const text = readTextIfExists(path)
  if (text === undefined) return null
  try {
    return parseSchemaJSON(text, shown(config, path))
  } catch (error) {
    if (error instanceof OkraError) return null
    throw error
  }
}

/** Writes `migrations/current/schema.json` (canonical JSON, atomically); `text` when its canonical JSON is already at hand. */
export function writeCurrentSchema(config: ResolvedConfig, schema: Schema, text = canonicalJSON(schema)): void {
  writeFileAtomic(migrationPaths(config).currentSchema, text)
}

/**
 * The text of `migrations/current/schema.json` and its sha256, or undefined when it is missing. Sync
 * wrote it as canonical JSON, so the hash of the text IS the schema hash: when it matches the hash
 * `_okra_state` records, the file is what the database was synced to, without parsing or validating it.
 */
export function readCurrentSchemaText(config: ResolvedConfig): { text: string; hash: string } | undefined {
  const text = readTextIfExists(migrationPaths(config).currentSchema)
  return text === undefined ? undefined : { text, hash: sha256(text) }
}

export function sha256(text: string): string {
  return sha256Hex(text)
}
