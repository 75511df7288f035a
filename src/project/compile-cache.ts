/**
 * The compiled schema of the last run, kept in `.okra/cache/schema.json` so a command run on schema files
 * that did not change since (`okra models:generate` in CI, `okra migrate:up` after `okra db:sync`, the
 * second command of a script) does not lex, parse and check them again, nor load the compiler.
 *
 * Why it cannot hand out a stale schema: the key is the sha256 of this build of OKRA, the Node version and
 * every schema file's path and text; the entry is used only when its key is that key. Only a schema with
 * no diagnostic at all is kept (a warning carries locations into the files, which the entry does not), so
 * a hit is exactly `compileSchema(sources)` without diagnostics. Any other case compiles: no entry, another
 * key, a damaged or hand-edited file.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../fs'
import type { Diagnostic } from '../language/diagnostics'
import type { Source } from '../language/source'
import type { Schema } from '../schema/types'
import { BUILD_CODE, CACHE_DIR, ensureCacheDir } from './cache'

const ENTRY = 'schema.json'

export interface Compiled {
  schema: Schema | null
  diagnostics: Diagnostic[]
}

/** compileSchema(sources), from the cache when the same build compiled the same files before. */
export async function compileCached(root: string, sources: readonly Source[]): Promise<Compiled> {
  const key = keyOf(sources)
  const file = join(root, CACHE_DIR, ENTRY)
  const cached = lookup(file, key)
  if (cached) return { schema: cached, diagnostics: [] }
  // The compiler is loaded only when there is something to compile.
  const { compileSchema } = await import('../schema/compile')
  const compiled = compileSchema(sources as Source[])
  if (compiled.schema && compiled.diagnostics.length === 0) store(root, file, key, compiled.schema)
  return compiled
}

function keyOf(sources: readonly Source[]): string {
  const hash = createHash('sha256')
  // Each part with its length first, so no two different lists of parts hash the same text.
  for (const part of [BUILD_CODE, process.version, ...sources.flatMap((s) => [s.path, s.text])]) hash.update(`${part.length}:`).update(part)
  return hash.digest('hex')
}

function lookup(file: string, key: string): Schema | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  // The key is read before the rest is parsed: a miss costs no parse of a large entry.
  const head = /^\{"key":"([0-9a-f]{64})","schema":/.exec(text.slice(0, 100))
  if (head?.[1] !== key) return undefined
  try {
    const entry = JSON.parse(text) as { key: string; schema: Schema }
    return entry.key === key && wellFormed(entry.schema) ? entry.schema : undefined
  } catch {
    return undefined
  }
}

/** What store() writes (the key matched, so only a damaged or hand-edited file fails this). */
function wellFormed(schema: Schema): boolean {
  return typeof schema === 'object' && schema !== null && Array.isArray(schema.models) && Array.isArray(schema.enums) && Array.isArray(schema.joinTables)
}

/** A cache that cannot be written (a read-only checkout, a full disk) only costs the next run its speed. */
function store(root: string, file: string, key: string, schema: Schema): void {
  try {
    ensureCacheDir(join(root, CACHE_DIR))
    writeFileAtomic(file, `{"key":"${key}","schema":${JSON.stringify(schema)}}`)
  } catch {
    // The command itself succeeded.
  }
}
