/**
 * The compiled schema of the last run, kept in `.okra/cache/schema.json` so a command run on schema files
 * that did not change since (`okra models:generate` in CI, `okra migrate:up` after `okra db:sync`, the
 * second command of a script) does not lex, parse and check them again, nor load the compiler.
 *
 * Why it cannot hand out a stale schema: the entry holds what it was compiled from, this build of OKRA, the
 * Node version, and every schema file's path and whole text, and is used only when all of them are the same
 * now (texts compared in full, not by a hash: exact, and the command then need not load node:crypto). Only
 * a schema with no diagnostic at all is kept (a warning carries locations into the files, which the entry
 * does not), so a hit is exactly `compileSchema(sources)` without diagnostics. Any other case compiles: no
 * entry, other files, a damaged or hand-edited entry.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterCommand } from '../after-command'
import { usedCodePath } from '../code-cache'
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
  const head = headOf(sources)
  const file = join(root, CACHE_DIR, ENTRY)
  const cached = lookup(file, head, sources)
  if (cached) return { schema: cached, diagnostics: [] }
  // The compiler is loaded only when there is something to compile.
  usedCodePath('compiler')
  const { compileSchema } = await import('../schema/compile')
  const compiled = compileSchema(sources as Source[])
  const schema = compiled.schema
  if (schema && compiled.diagnostics.length === 0) afterCommand(() => store(root, file, head, sources, schema))
  return compiled
}

/**
 * The start of the entry for these files: the build, the Node version, each file's path and length. It is
 * compared before anything is parsed, so an edit that changes a file's length costs no parse of a large entry.
 */
function headOf(sources: readonly Source[]): string {
  return `{"build":${JSON.stringify(BUILD_CODE)},"node":${JSON.stringify(process.version)},"files":${JSON.stringify(sources.map((s) => [s.path, s.text.length]))},"texts":`
}

function lookup(file: string, head: string, sources: readonly Source[]): Schema | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  if (!text.startsWith(head)) return undefined
  try {
    const entry = JSON.parse(text) as { texts: unknown; schema: Schema }
    const sameTexts = Array.isArray(entry.texts) && entry.texts.length === sources.length && sources.every((s, i) => (entry.texts as unknown[])[i] === s.text)
    return sameTexts && wellFormed(entry.schema) ? entry.schema : undefined
  } catch {
    return undefined
  }
}

/** What store() writes (the key matched, so only a damaged or hand-edited file fails this). */
function wellFormed(schema: Schema): boolean {
  return typeof schema === 'object' && schema !== null && Array.isArray(schema.models) && Array.isArray(schema.enums) && Array.isArray(schema.joinTables)
}

/** A cache that cannot be written (a read-only checkout, a full disk) only costs the next run its speed. */
function store(root: string, file: string, head: string, sources: readonly Source[], schema: Schema): void {
  try {
    ensureCacheDir(join(root, CACHE_DIR))
    writeFileAtomic(file, `${head}${JSON.stringify(sources.map((s) => s.text))},"schema":${JSON.stringify(schema)}}`)
  } catch {
    // The command itself succeeded.
  }
}
