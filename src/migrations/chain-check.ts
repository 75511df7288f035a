/**
 * The one check of the migration history that db:diff, db:migrate:snapshot, migrate:status, migrate:up,
 * migrate:down, `okra build` and the production build gate all run: the folders form one line (no fork,
 * no parent found nowhere), and `migrations/snapshot/schema.json` is the head's schema. A snapshot that
 * moved on without a folder because nothing in the database changed (descriptions only) still counts as
 * the head: the two are compared as databases when their hashes differ.
 */
import { join } from 'node:path'
import type { ResolvedConfig } from '../config/types'
import { diff, summaries } from '../diff/index'
import { dialectOf } from '../dialects/index'
import { OkraError } from '../errors'
import { displayPath, readTextIfExists } from '../fs'
import { migrationPaths } from '../project/paths'
import { parseSchemaJSON } from '../schema/canonical'
import type { Provider } from '../schema/physical-types'
import type { Schema } from '../schema/types'
import { type ChainLink, type ChainShape, chainShape, readChainLinks, schemaTextHash } from './chain'
import { physicalWithoutHints } from './derive'
import { SCHEMA_FILE } from './folders'

export const REBASE_COMMAND = 'okra migrate:rebase'
export const SNAPSHOT_COMMAND = 'okra db:migrate:snapshot'

export type ChainProblemKind = 'fork' | 'missing-parent' | 'snapshot-not-head'

export interface ChainProblem {
  kind: ChainProblemKind
  /** The migrations involved. */
  ids: string[]
  message: string
  fix: string
}

export interface ChainReport {
  shape: ChainShape
  problems: ChainProblem[]
  /** Things to know that stop nothing (parents inferred for folders an older OKRA wrote). */
  notes: string[]
  /** Set when the snapshot is not the head: the head (null: no migration) and its schema text, to rewind to. */
  rewind: { head: ChainLink | null; schemaText: string | null; changes: string[] } | null
}

export interface InspectOptions {
  /** Links already read (from folders in memory); default: read from disk. */
  links?: ChainLink[]
  /** Whether to hold snapshot/schema.json against the head (default true). */
  snapshot?: boolean
}

/** The history's shape and problems, reading files only. */
export async function inspectChain(config: ResolvedConfig, options: InspectOptions = {}): Promise<ChainReport> {
  const paths = migrationPaths(config)
  const links = options.links ?? readChainLinks(paths.dir, config.root)
  const shape = chainShape(links)
  const dirShown = displayPath(config.root, paths.dir)
  const problems: ChainProblem[] = [...shape.forks.map((f) => forkProblem(f.parent, f.children)), ...shape.orphans.map((o) => orphanProblem(o, dirShown))]
  const notes = shape.inferred.length
    ? [
        `${count(shape.inferred.length, 'migration folder')} in ${dirShown}/ ${shape.inferred.length === 1 ? 'has' : 'have'} no migration.json (written by an older OKRA): ` +
          `each one's parent was taken to be the folder before it; the next \`${SNAPSHOT_COMMAND}\` writes it down`,
      ]
    : []
  let rewind: ChainReport['rewind'] = null
  if (options.snapshot !== false && problems.length === 0) {
    rewind = await snapshotBehindHead(config, shape.head)
    if (rewind) problems.push(notHeadProblem(displayPath(config.root, paths.snapshotSchema), rewind.head, rewind.changes))
  }
  return { shape, problems, notes, rewind }
}

/** Throws the report's problems as one ChainError. */
export function assertChain(report: ChainReport): void {
  if (report.problems.length) throw new ChainError(report.problems)
}

/** The history is not one line: every problem, each naming its migrations, and the command that fixes it. */
export class ChainError extends OkraError {
  override name = 'ChainError'
  constructor(readonly problems: ChainProblem[]) {
    super(chainMessage(problems), [...new Set(problems.map((p) => p.fix))].join('\n'))
  }
}

export function chainMessage(problems: readonly ChainProblem[]): string {
  if (problems.length === 1) return problems[0]!.message
  return `The migration history has ${problems.length} problems:\n` + problems.map((p) => `  - ${p.message.replace(/\n/g, '\n    ')}`).join('\n')
}

function forkProblem(parent: ChainLink | null, children: ChainLink[]): ChainProblem {
  const ids = children.map((c) => c.id)
  const from = parent ? `migration ${parent.id}` : 'an empty history'
  return {
    kind: 'fork',
    ids: parent ? [parent.id, ...ids] : ids,
    message: `The migration history forks: ${list(ids)} were each made from ${from} (two branches each took a snapshot and were merged). Nothing was run.`,
    fix: `Run \`${REBASE_COMMAND}\`: it moves one branch's migrations after the other's head and writes their change again on top; commit the result.`,
  }
}

function orphanProblem(link: ChainLink, dirShown: string): ChainProblem {
  return {
    kind: 'missing-parent',
    ids: [link.id],
    message:
      `Migration ${link.id} was made from a schema that no migration in ${dirShown}/ produces (parent ${link.parent!.slice(0, 12)}): ` +
      'the migration before it was deleted or never committed, or the folder was copied from another branch or project. Nothing was run.',
    fix: `Restore the missing migration folder from version control (\`git log --stat -- ${dirShown}/\` shows where it went); if it is gone for good, delete ${link.shownDir}/ and run \`${SNAPSHOT_COMMAND}\` to write its change again.`,
  }
}

function notHeadProblem(snapshotFile: string, head: ChainLink | null, changes: string[]): ChainProblem {
  const headText = head ? `the schema of the newest migration, ${head.id}` : 'empty, yet no migration exists'
  const what = changes.length ? `: it holds ${count(changes.length, 'change')} that no migration makes:\n${changes.map((c) => `  ${c}`).join('\n')}` : ''
  return {
    kind: 'snapshot-not-head',
    ids: head ? [head.id] : [],
    message: `${snapshotFile} is not ${headText} (a migration folder was deleted or not committed, or the snapshot was edited by hand)${what}`,
    fix:
      `Restore the deleted migration folder from version control, or run \`${SNAPSHOT_COMMAND}\`: it takes the snapshot back to ` +
      `${head ? head.id : 'the empty schema'} and writes the schema's change as a new migration.`,
  }
}

/**
 * Null when the snapshot is the head's schema (same hash, or the same database on every provider), else
 * the head, its schema.json text and the changes from it to the snapshot (for the configured provider).
 */
async function snapshotBehindHead(config: ResolvedConfig, head: ChainLink | null): Promise<ChainReport['rewind']> {
  const paths = migrationPaths(config)
  const snapshotText = readTextIfExists(paths.snapshotSchema)
  const headText = head ? readTextIfExists(join(paths.dir, head.id, SCHEMA_FILE)) ?? null : null
  if (snapshotText === undefined) return head ? { head, schemaText: headText, changes: [] } : null
  if (head && schemaTextHash(snapshotText) === head.schema) return null
  const snapshot = parseSchemaJSON(snapshotText, displayPath(config.root, paths.snapshotSchema))
  const headSchema = headText === null ? null : parseSchemaJSON(headText, `${head!.shownDir}/${SCHEMA_FILE}`)
  let changes: string[] | null = null
  for (const provider of providersOf(config)) {
    const found = await physicalChanges(headSchema, snapshot, provider)
    if (found && changes === null) changes = found
  }
  return changes === null ? null : { head, schemaText: headText, changes }
}

/** The summary lines of the change on `provider`, or null when the database would not change. */
async function physicalChanges(from: Schema | null, to: Schema | null, provider: Provider): Promise<string[] | null> {
  const { types } = dialectOf(provider)
  const result = await diff(physicalWithoutHints(from, types), physicalWithoutHints(to, types), { types })
  return result.changes.length ? summaries(result.changes) : null
}

/** The configured provider first, then the others the environments use. */
export function providersOf(config: ResolvedConfig): Provider[] {
  const { provider, providers } = config.database
  return [provider, ...providers.filter((p) => p !== provider)]
}

function list(ids: readonly string[]): string {
  return ids.length <= 2 ? ids.join(' and ') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
