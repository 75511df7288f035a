/**
 * Which table (column) of `from` becomes which of `to`. By name first; then by the schema's rename hints
 * (`@@renamed(from:)`, `@renamed(from:)`); then, for what is left on both sides, by asking the injected
 * resolver (the CLI prompts; tests pass decisions with `renamesFrom`). Without a resolver, what is left is
 * dropped and added.
 */
import { columnName, tableName } from '../schema/naming'
import type { DbColumn, DbTable } from '../schema/physical-types'
import type { DiffWarning } from './changes'
import { isImplicitJoin } from './join-tables'

export interface RenameCandidate {
  kind: 'table' | 'column'
  /** The table's name in `to` (for a table candidate, the same as `to`). */
  table: string
  /** The old name of the table or column. */
  from: string
  /** The new name of the table or column. */
  to: string
}

export type RenameDecision = 'rename' | 'drop-add'

/** Asked once per candidate pair, in a stable order; the first `rename` claims both sides. */
export type RenameResolver = (candidate: RenameCandidate) => RenameDecision | Promise<RenameDecision>

/**
 * A resolver answering from a list of decisions: `people->users` renames table people to users,
 * `users.name->users.full_name` renames column name of table users (named as in `to`) to full_name.
 * Every other candidate is dropped and added.
 */
export function renamesFrom(decisions: readonly string[]): RenameResolver {
  const wanted = new Set<string>()
  for (const decision of decisions) {
    const match = /^\s*(?:([^.>]+)\.)?([^.>]+?)\s*->\s*(?:([^.>]+)\.)?([^.>]+?)\s*$/.exec(decision)
    if (!match || (match[1] === undefined) !== (match[3] === undefined)) {
      throw new Error(`Bad rename decision '${decision}': write 'old_table->new_table' or 'table.old_column->table.new_column'`)
    }
    const [, fromTable, from, toTable, to] = match
    wanted.add(toTable === undefined ? `table:${from}->${to}` : `column:${toTable}:${from}->${to}`)
    if (fromTable !== undefined && fromTable !== toTable) wanted.add(`column:${fromTable}:${from}->${to}`)
  }
  return (c) => {
    const key = c.kind === 'table' ? `table:${c.from}->${c.to}` : `column:${c.table}:${c.from}->${c.to}`
    return wanted.has(key) ? 'rename' : 'drop-add'
  }
}

/** Where hint warnings go, and whether spent hints count (see DiffOptions.spentHints). */
export interface HintReport {
  warnings: DiffWarning[]
  spentHints: boolean
}

export interface Pairing<T> {
  /** [from, to], in `to` order. */
  pairs: [T, T][]
  added: T[]
  dropped: T[]
}

/** Pairs `from` items with `to` items; `hintTarget` finds a hint's item in `from`, `compatible` filters what the resolver is asked. */
async function pair<T extends { name: string; renamedFrom?: string[] }>(options: {
  from: T[]
  to: T[]
  hintTarget: (hint: string, from: T[]) => T | undefined
  describeHint: (hint: string, item: T) => string
  compatible: (from: T, to: T) => boolean
  ask?: (from: T, to: T) => Promise<boolean>
  hints: HintReport
}): Promise<Pairing<T>> {
  const { from, to } = options
  const { warnings, spentHints } = options.hints
  const toNames = new Set(to.map((t) => t.name))
  const claimed = new Set<T>()
  const match = new Map<T, T>()
  const take = (t: T, f: T) => {
    match.set(t, f)
    claimed.add(f)
  }
  // A hint first: it says which old item this is, even when an old item of the new name exists (that
  // one is then dropped). Not when the hinted item keeps its own name in `to`: it is still in use.
  const usable = (f: T, t: T) => !claimed.has(f) && (f.name === t.name || !toNames.has(f.name))
  for (const t of to) {
    for (const hint of t.renamedFrom ?? []) {
      const f = options.hintTarget(hint, from)
      if (f && usable(f, t)) {
        take(t, f)
        break
      }
    }
  }
  const fromByName = new Map(from.map((f) => [f.name, f]))
  for (const t of to) {
    const f = fromByName.get(t.name)
    if (!match.has(t) && f && !claimed.has(f)) take(t, f)
  }
  const isFree = (f: T) => !claimed.has(f) && !toNames.has(f.name)
  // A database with nothing in it (a first sync, a reset) cannot hold the old name: not worth a warning.
  for (const t of from.length ? to : []) {
    if (!t.renamedFrom?.length) continue
    if (match.has(t)) {
      const spent = spentHints && match.get(t)!.name === t.name && t.renamedFrom.every((hint) => !options.hintTarget(hint, from))
      if (spent) {
        warnings.push({
          kind: 'stale-rename',
          message: `${t.renamedFrom.map((h) => options.describeHint(h, t)).join(', ')}: nothing by that name exists any more, and '${t.name}' already exists under its new name. The hint can be removed.`,
        })
      }
      continue
    }
    const taken = t.renamedFrom.map((hint) => [hint, options.hintTarget(hint, from)] as const).find(([, f]) => f)
    warnings.push(
      taken
        ? {
            kind: 'rename-conflict',
            message: `${options.describeHint(taken[0], t)}: '${taken[1]!.name}' is still in use, so '${t.name}' is created new. Remove the hint or the other use of '${taken[1]!.name}'.`,
          }
        : {
            kind: 'stale-rename',
            message: `${t.renamedFrom.map((h) => options.describeHint(h, t)).join(', ')}: nothing by that name exists, so '${t.name}' is created new. The hint can be removed.`,
          },
    )
  }
  if (options.ask) {
    for (const t of to) {
      if (match.has(t)) continue
      for (const f of from) {
        if (!isFree(f) || !options.compatible(f, t)) continue
        if (await options.ask(f, t)) {
          take(t, f)
          break
        }
      }
    }
  }
  return {
    pairs: to.filter((t) => match.has(t)).map((t) => [match.get(t)!, t]),
    added: to.filter((t) => !match.has(t)),
    dropped: from.filter((f) => !claimed.has(f)),
  }
}

export function pairTables(from: DbTable[], to: DbTable[], resolver: RenameResolver | undefined, hints: HintReport): Promise<Pairing<DbTable>> {
  return pair({
    from: sortedByName(from),
    to: sortedByName(to),
    hintTarget: (hint, tables) => tables.find((t) => t.model === hint) ?? tables.find((t) => t.model === undefined && t.name === tableName(hint)),
    describeHint: (hint, t) => `@@renamed(from: "${hint}") on model ${t.model ?? t.name}`,
    // Join tables follow their models (join-tables.ts): no question about them.
    compatible: (f, t) => !isImplicitJoin(f) && !isImplicitJoin(t),
    ask: resolver && (async (f, t) => (await resolver({ kind: 'table', table: t.name, from: f.name, to: t.name })) === 'rename'),
    hints,
  })
}

export function pairColumns(
  fromTable: DbTable,
  toTable: DbTable,
  compatible: (from: DbColumn, to: DbColumn) => boolean,
  resolver: RenameResolver | undefined,
  hints: HintReport,
): Promise<Pairing<DbColumn>> {
  return pair({
    from: fromTable.columns,
    to: toTable.columns,
    hintTarget: (hint, columns) =>
      columns.find((c) => c.field === hint) ?? columns.find((c) => c.field === undefined && c.name === columnName(hint)),
    describeHint: (hint, c) => `@renamed(from: "${hint}") on field ${toTable.model ?? toTable.name}.${c.field ?? c.name}`,
    compatible,
    ask: resolver && (async (f, t) => (await resolver({ kind: 'column', table: toTable.name, from: f.name, to: t.name })) === 'rename'),
    hints,
  })
}

function sortedByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
