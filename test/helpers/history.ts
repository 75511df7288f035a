/**
 * A migration history written directly (no snapshot command): one first migration holding `schemaText`
 * and `migrations/snapshot/schema.json` at the same schema, as `okra db:migrate:snapshot` would leave it.
 * A snapshot without any migration folder is not the head of a history (the check reports it).
 */
import { metaText, schemaTextHash } from '../../src/migrations/chain'
import { writeFiles } from './tmp'

export const FIRST_MIGRATION = '20240101_000000_init'

export function writeSnapshotHistory(root: string, schemaText: string, dir = 'migrations'): void {
  writeFiles(root, {
    [`${dir}/${FIRST_MIGRATION}/schema.json`]: schemaText,
    [`${dir}/${FIRST_MIGRATION}/migration.json`]: metaText({ parent: null, schema: schemaTextHash(schemaText), destroys: [] }),
    [`${dir}/snapshot/schema.json`]: schemaText,
  })
}
