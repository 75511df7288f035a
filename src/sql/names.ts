/**
 * Names of the database objects OKRA creates beside the schema's own (triggers, the primary-key
 * constraint, scratch tables and types), shortened like constraint names when PostgreSQL's 63-byte
 * limit would cut them. physical-types.ts documents the trigger names for introspection.
 */
import type { ReferentialAction } from '../schema/types'
import { sha256Hex } from '../hash'
import { MAX_IDENTIFIER_BYTES, byteLength } from '../schema/naming'

/** The PostgreSQL function every @updatedAt trigger calls, with the column's name as argument. */
export const UPDATED_AT_FUNCTION = 'okra_set_updated_at'

/** `<table>_<column>_updated_at`: the trigger keeping an @updatedAt column current. */
export function updatedAtTriggerName(table: string, column: string): string {
  return fitted(`${table}_${column}`, '_updated_at')
}

/** `<table>_pkey`, PostgreSQL's own name for a primary key. */
export function primaryKeyName(table: string): string {
  return fitted(table, '_pkey')
}

/** The new table of a SQLite rebuild, renamed to `table` once filled. */
export function rebuildTableName(table: string): string {
  return `_okra_new_${table}`
}

/** The old PostgreSQL enum type while its replacement is created (dropped at the end of the swap). */
export function retiredEnumName(name: string): string {
  return fitted(name, '_okra_old')
}

/** `base + suffix`, or when longer than 63 bytes `<base cut>_<8 hex of sha256>` + suffix. */
function fitted(base: string, suffix: string): string {
  const full = base + suffix
  if (byteLength(full) <= MAX_IDENTIFIER_BYTES) return full
  const tail = `_${sha256Hex(full).slice(0, 8)}${suffix}`
  let cut = ''
  for (const char of base) {
    if (byteLength(cut + char) + byteLength(tail) > MAX_IDENTIFIER_BYTES) break
    cut += char
  }
  return cut + tail
}

/** `onDelete` / `onUpdate` as SQL: the same words in both providers. */
export const REFERENTIAL_ACTIONS: Record<ReferentialAction, string> = {
  Cascade: 'CASCADE',
  SetNull: 'SET NULL',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetDefault: 'SET DEFAULT',
}
