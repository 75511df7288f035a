/**
 * The migration history as a chain. Every folder's `migration.json` records the hash of the schema it was
 * made from (`parent`, null for the first) and of the schema it produces (`schema`, the hash of its
 * schema.json), plus what it destroys. A history is sound when the folders form one line from the first
 * migration to the head; two folders made from the same parent (two branches merged) are a fork, a parent
 * that no folder produces is a hole.
 *
 * Parents are found by hash, not by folder name, so the name order (timestamps of different machines)
 * never decides which schema a migration's SQL starts from. A schema can come back (add a field, then
 * remove it): a parent hash then means the nearest folder before the child that produced it.
 *
 * Folders an older OKRA wrote have no migration.json: their parent is inferred from the folder before
 * them by name (what OKRA did until then), and the next `db:migrate:snapshot` writes it down.
 *
 * This module only reads files and hashes text (no schema compiler, no differ), so the bundler plugin's
 * build cache can fingerprint the chain cheaply; chain-check.ts holds the checks that need the differ.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OkraError } from '../errors'
import { displayPath } from '../fs'
import { sha256Hex } from '../hash'
import { normaliseLineEndings } from './checksum'
import { META_FILE, type MigrationFolder, SCHEMA_FILE, migrationIds } from './folders'

export { META_FILE }
export const META_FORMAT = 1

/** What a migration can destroy or fail on with existing rows. */
export type DestructionKind =
  | 'drop-table'
  | 'drop-column'
  | 'drop-enum-value'
  | 'change-type'
  | 'required-over-null'
  | 'add-required-column'
  | 'add-unique'
  | 'add-foreign-key'
  | 'change-primary-key'

export const DESTRUCTION_KINDS: readonly DestructionKind[] = [
  'drop-table',
  'drop-column',
  'drop-enum-value',
  'change-type',
  'required-over-null',
  'add-required-column',
  'add-unique',
  'add-foreign-key',
  'change-primary-key',
]

/** One thing a migration destroys (physical names: the table and column as they are before it runs). */
export interface Destruction {
  kind: DestructionKind
  table?: string
  column?: string
  /** For `drop-enum-value`: the enum's database name and the value removed. */
  enum?: string
  value?: string
  /** For humans: `drops column products.sku`. */
  line: string
}

/** The content of `migration.json`. */
export interface MigrationMeta {
  format: typeof META_FORMAT
  /** sha256 of the canonical schema the migration was made from; null for the first migration. */
  parent: string | null
  /** sha256 of the folder's schema.json (the canonical schema it produces). */
  schema: string
  destroys: Destruction[]
  /**
   * The folder names (and schema hashes) the migration had before `migrate:rebase` moved it, newest first:
   * a database that applied it under one of them has it (rebased.ts).
   */
  rebasedFrom?: { id: string; schema: string }[]
}

/** The hash of a schema.json's text: for the canonical text OKRA writes, the schema's hash (canonical.ts schemaHash). */
export function schemaTextHash(text: string): string {
  return sha256Hex(normaliseLineEndings(text))
}

/** `migration.json`'s text: fixed key order, 2-space indent, so it diffs and merges well. */
export function metaText(meta: Omit<MigrationMeta, 'format'>): string {
  const destroys = meta.destroys.map((d) => {
    const ordered: Record<string, string> = { kind: d.kind }
    for (const key of ['table', 'column', 'enum', 'value'] as const) if (d[key] !== undefined) ordered[key] = d[key]!
    ordered.line = d.line
    return ordered
  })
  const rebasedFrom = meta.rebasedFrom?.length ? { rebasedFrom: meta.rebasedFrom.map((r) => ({ id: r.id, schema: r.schema })) } : {}
  return JSON.stringify({ format: META_FORMAT, parent: meta.parent, schema: meta.schema, destroys, ...rebasedFrom }, null, 2) + '\n'
}

const HASH = /^[0-9a-f]{64}$/

/** Reads a `migration.json`; damage or a newer format names the file. */
export function parseMeta(text: string, shownFile: string): MigrationMeta {
  const damaged = (problem: string) =>
    new OkraError(
      `${shownFile} is damaged: ${problem}`,
      'Restore it from version control; `okra db:migrate:snapshot` writes it (format, parent, schema, destroys).',
    )
  let value: Record<string, unknown>
  try {
    value = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw damaged((error as Error).message)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw damaged('expected an object')
  if (typeof value.format === 'number' && value.format > META_FORMAT) {
    throw new OkraError(
      `${shownFile} was written by a newer version of OKRA (migration format ${value.format}; this version reads format ${META_FORMAT})`,
      'Upgrade unplugin-okra: npm install -D unplugin-okra@latest',
    )
  }
  if (value.format !== META_FORMAT) throw damaged(`"format" must be ${META_FORMAT}`)
  if (value.parent !== null && !(typeof value.parent === 'string' && HASH.test(value.parent))) throw damaged('"parent" must be a sha256 hash or null')
  if (!(typeof value.schema === 'string' && HASH.test(value.schema))) throw damaged('"schema" must be a sha256 hash')
  if (!Array.isArray(value.destroys) || !value.destroys.every(isDestruction)) {
    throw damaged(`"destroys" must be a list of { "kind": ${DESTRUCTION_KINDS.map((k) => `"${k}"`).join(' | ')}, "table", "column" | "enum" and "value", "line" }`)
  }
  return { format: META_FORMAT, parent: value.parent as string | null, schema: value.schema, destroys: value.destroys }
}

function isDestruction(value: unknown): value is Destruction {
  const d = value as Record<string, unknown> | null
  if (d === null || typeof d !== 'object' || typeof d.line !== 'string') return false
  if (!DESTRUCTION_KINDS.includes(d.kind as DestructionKind)) return false
  return ['table', 'column', 'enum', 'value'].every((key) => d[key] === undefined || typeof d[key] === 'string')
}

/** One migration folder as the chain sees it. */
export interface ChainLink {
  id: string
  /** Relative to the project root, for messages. */
  shownDir: string
  parent: string | null
  schema: string
  /** False: the folder has no migration.json (an older OKRA wrote it) and its parent was inferred from the folder before it. */
  recorded: boolean
  /** What migration.json declares the migration destroys; null when it has no migration.json. */
  destroys: Destruction[] | null
}

/** A folder to read links from: its name, where it is shown, and how to read one of its files. */
export interface ChainSource {
  id: string
  shownDir: string
  read(file: string): string | undefined
}

/** The links of folders in name order (parents of folders without migration.json inferred from the one before). */
export function chainLinks(sources: readonly ChainSource[]): ChainLink[] {
  let previous: string | null = null
  return sources.map((source) => {
    const text = source.read(META_FILE)
    let link: ChainLink
    if (text !== undefined) {
      const meta = parseMeta(text, `${source.shownDir}/${META_FILE}`)
      link = { id: source.id, shownDir: source.shownDir, parent: meta.parent, schema: meta.schema, recorded: true, destroys: meta.destroys }
    } else {
      const schema = source.read(SCHEMA_FILE)
      if (schema === undefined) {
        throw new OkraError(
          `Migration ${source.shownDir} has no ${SCHEMA_FILE}`,
          `Restore it from version control. Every migration folder holds the whole schema at that point; a folder that is not a migration must not be named like one (YYYYMMDD_HHMMSS_name).`,
        )
      }
      link = { id: source.id, shownDir: source.shownDir, parent: previous, schema: schemaTextHash(schema), recorded: false, destroys: null }
    }
    previous = link.schema
    return link
  })
}

/** Reads the links from disk: each folder's migration.json, and schema.json only where there is none. */
export function readChainLinks(dir: string, root: string, ids: readonly string[] = migrationIds(dir)): ChainLink[] {
  return chainLinks(
    ids.map((id) => ({
      id,
      shownDir: displayPath(root, join(dir, id)),
      read: (file) => {
        try {
          return readFileSync(join(dir, id, file), 'utf8')
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
          throw error
        }
      },
    })),
  )
}

/** The links of folders already read (the migrate commands have every file in memory). */
export function folderLinks(folders: readonly MigrationFolder[]): ChainLink[] {
  return chainLinks(folders.map((f) => ({ id: f.id, shownDir: f.shownDir, read: (name: string) => f.contents[name] })))
}

/** The shape of a history: who follows whom, forks, holes, the head. */
export interface ChainShape {
  links: ChainLink[]
  /** Each link's parent link by id: null for a first migration, undefined for a parent found nowhere. */
  parentOf: Map<string, ChainLink | null | undefined>
  /** Sets of two or more migrations made from the same parent (null: from an empty history). */
  forks: { parent: ChainLink | null; children: ChainLink[] }[]
  /** Migrations whose parent no folder produces. */
  orphans: ChainLink[]
  /** The newest migration of a sound history (the one nothing follows); null when there are none or the history forks. */
  head: ChainLink | null
  /** Folders without migration.json (parents inferred). */
  inferred: ChainLink[]
}

export function chainShape(links: readonly ChainLink[]): ChainShape {
  const parentOf = new Map<string, ChainLink | null | undefined>()
  const children = new Map<ChainLink | null, ChainLink[]>()
  const orphans: ChainLink[] = []
  // Where each schema hash is produced, in name order: a parent is the nearest producer before the child.
  const producers = new Map<string, number[]>()
  links.forEach((link, i) => {
    const list = producers.get(link.schema)
    if (list) list.push(i)
    else producers.set(link.schema, [i])
  })
  links.forEach((link, i) => {
    let parent: ChainLink | null | undefined = null
    if (link.parent !== null) {
      const at = producers.get(link.parent)?.filter((j) => j !== i) ?? []
      const before = at.filter((j) => j < i)
      const j = before.length ? before[before.length - 1] : at[0]
      parent = j === undefined ? undefined : links[j]!
    }
    parentOf.set(link.id, parent)
    if (parent === undefined) {
      orphans.push(link)
      return
    }
    const list = children.get(parent)
    if (list) list.push(link)
    else children.set(parent, [link])
  })
  const forks = [...children.entries()].filter(([, list]) => list.length > 1).map(([parent, list]) => ({ parent, children: list }))
  let head: ChainLink | null = null
  if (forks.length === 0 && links.length > 0) {
    const ends = links.filter((link) => !children.has(link))
    head = ends.length === 1 ? ends[0]! : null
  }
  return { links: [...links], parentOf, forks, orphans, head, inferred: links.filter((l) => !l.recorded) }
}

/**
 * The links of a history that forms one line, each after the one it was made from: the order its
 * migrations are applied in. Null when it does not form one line (the chain check then stops every command
 * that applies), and for a history with folders an older OKRA wrote, whose parents come from the name order.
 */
export function chainOrder(shape: ChainShape): ChainLink[] | null {
  if (shape.forks.length || shape.orphans.length || shape.inferred.length || !shape.head) return null
  const order: ChainLink[] = []
  for (let link: ChainLink | null | undefined = shape.head; link; link = shape.parentOf.get(link.id)) order.push(link)
  return order.length === shape.links.length ? order.reverse() : null
}

/**
 * The folders in the order they are applied: each after the one it was made from. Folder names (timestamps)
 * usually give that order, but not when a folder was renamed or made on a machine whose clock was behind:
 * applied by name, a migration would then run before the one its SQL starts from.
 */
export function inChainOrder(folders: MigrationFolder[]): MigrationFolder[] {
  const order = chainOrder(chainShape(folderLinks(folders)))
  if (!order) return folders
  const byId = new Map(folders.map((folder) => [folder.id, folder]))
  return order.map((link) => byId.get(link.id)!)
}

/** A short text that changes whenever the chain does (a folder added, deleted, or its migration.json edited): for the build cache. */
export function chainFingerprint(links: readonly ChainLink[]): string {
  return links.map((l) => `${l.id} ${l.parent ?? '-'} ${l.schema}`).join('\n')
}
