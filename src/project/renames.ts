/**
 * `migrations/current/renames.json`: every rename sync applied since the last snapshot, in physical
 * names, so the snapshot's migration renames too even after the `@renamed` hint is gone; and the
 * arithmetic of renames (composing a chain of them, answering the differ's rename questions with them).
 */
import type { ResolvedConfig } from '../config/types'
import type { Change, RenameResolver } from '../diff/index'
import { OkraError } from '../errors'
import { displayPath, readTextIfExists, writeFileAtomic } from '../fs'
import { migrationPaths } from './paths'

/** One rename sync applied, in physical names. A column's `table` is the table's name when the rename ran. */
export type SyncedRename = { kind: 'table'; from: string; to: string } | { kind: 'column'; table: string; from: string; to: string }

/** `migrations/current/renames.json` in order; empty when the file is missing. */
export function readSyncedRenames(config: ResolvedConfig): SyncedRename[] {
  const path = migrationPaths(config).currentRenames
  const text = readTextIfExists(path)
  if (text === undefined) return []
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw damagedRenames(config, path, (cause as Error).message)
  }
  const renames = (value as { renames?: unknown } | null)?.renames
  if (!Array.isArray(renames) || !renames.every(isSyncedRename)) throw damagedRenames(config, path, 'expected { "renames": [{ "kind", "from", "to", ... }] }')
  return renames
}

function isSyncedRename(value: unknown): value is SyncedRename {
  const r = value as Record<string, unknown> | null
  if (r === null || typeof r !== 'object' || typeof r.from !== 'string' || typeof r.to !== 'string') return false
  return r.kind === 'table' || (r.kind === 'column' && typeof r.table === 'string')
}

function damagedRenames(config: ResolvedConfig, path: string, problem: string): OkraError {
  return new OkraError(
    `${displayPath(config.root, path)} is damaged: ${problem}`,
    'Delete the file (renames applied by db:sync since the last snapshot will then be snapshotted as drop + add unless their @renamed hints are still there), or restore it.',
  )
}

/** Appends to `migrations/current/renames.json` (atomically); nothing to append writes nothing. */
export function appendSyncedRenames(config: ResolvedConfig, renames: readonly SyncedRename[]): void {
  if (renames.length === 0) return
  writeSyncedRenames(config, [...readSyncedRenames(config), ...renames])
}

/** Replaces `migrations/current/renames.json` (the snapshot clears it once its migration holds the renames). */
export function writeSyncedRenames(config: ResolvedConfig, renames: readonly SyncedRename[]): void {
  writeFileAtomic(migrationPaths(config).currentRenames, renamesText(renames))
}

/** `{ "renames": [...] }` with one rename per line, so a diff of the file reads well (current/ and migration folders). */
export function renamesText(renames: readonly SyncedRename[]): string {
  const lines = renames.map((r) => '    ' + JSON.stringify(r.kind === 'table' ? { kind: r.kind, from: r.from, to: r.to } : { kind: r.kind, table: r.table, from: r.from, to: r.to }))
  return `{\n  "renames": [${lines.length ? '\n' + lines.join(',\n') + '\n  ' : ''}]\n}\n`
}

/** The renames of a change list (what sync records after applying it). */
export function renamesOf(changes: readonly Change[]): SyncedRename[] {
  const out: SyncedRename[] = []
  for (const c of changes) {
    if (c.kind === 'renameTable') out.push({ kind: 'table', from: c.from, to: c.to })
    else if (c.kind === 'renameColumn') out.push({ kind: 'column', table: c.table, from: c.from, to: c.to })
  }
  return out
}

export interface ComposedRenames {
  /** Original table name -> final name (renames that came back to their start are left out). */
  tables: Map<string, string>
  /** `<final table>\0<original column>` -> final column name. */
  columns: Map<string, string>
}

/** The net effect of renames applied one after another: `a->b` then `b->c` is `a->c`. */
export function composeRenames(renames: readonly SyncedRename[]): ComposedRenames {
  const tableNow = new Map<string, string>() // original -> current
  const columnNow = new Map<string, { table: string; original: string; name: string }>() // key by current table + current name
  const key = (table: string, column: string) => `${table}\0${column}`
  for (const r of renames) {
    if (r.kind === 'table') {
      const original = [...tableNow].find(([, now]) => now === r.from)?.[0] ?? r.from
      tableNow.set(original, r.to)
      for (const [k, c] of [...columnNow]) {
        if (c.table !== r.from) continue
        columnNow.delete(k)
        columnNow.set(key(r.to, c.name), { ...c, table: r.to })
      }
    } else {
      const existing = columnNow.get(key(r.table, r.from))
      columnNow.delete(key(r.table, r.from))
      columnNow.set(key(r.table, r.to), { table: r.table, original: existing?.original ?? r.from, name: r.to })
    }
  }
  const tables = new Map([...tableNow].filter(([original, now]) => original !== now))
  const columns = new Map(
    [...columnNow.values()].filter((c) => c.original !== c.name).map((c) => [key(c.table, c.original), c.name] as const),
  )
  return { tables, columns }
}

/**
 * A rename resolver answering `rename` for the net renames of `renames` and asking `fallback` (or
 * answering drop + add) for anything else.
 */
export function renamesResolver(renames: readonly SyncedRename[], fallback?: RenameResolver): RenameResolver {
  const { tables, columns } = composeRenames(renames)
  return (candidate) => {
    const known = candidate.kind === 'table' ? tables.get(candidate.from) : columns.get(`${candidate.table}\0${candidate.from}`)
    if (known === candidate.to) return 'rename'
    return fallback ? fallback(candidate) : 'drop-add'
  }
}
