/**
 * The bundler plugin's build cache. A build that runs once (`vite build`, a production webpack build)
 * whose every input is byte for byte what an earlier clean build read skips compiling the schema,
 * generating the outputs and checking drift, and never loads the code that does them: it only checks
 * that the files that build wrote are still there, unchanged. That work, and loading it, is most of
 * what the plugin adds to a build of a small project.
 *
 * Why it cannot let drift through: the key is the sha256 of everything a build's outcome is computed
 * from, with the code that computes it —
 *   - this OKRA build (a hash of its sources, set when the package is built) and the Node version;
 *   - the resolved config (environment selected, `${VAR}` expanded, paths absolute);
 *   - the options that shape the outcome: production or not, the drift mode, okra.d.ts's path;
 *   - every schema file's path and text;
 *   - the text, or absence, of migrations/snapshot/schema.json and migrations/current/renames.json,
 *     and the migration chain (each folder's name, parent and schema hash): all that the drift check reads;
 * and an entry is written only after a build that passed (no drift, no error). The same inputs through
 * the same code give the same outcome, so the entry is that outcome. Anything else is a miss and the
 * whole build runs: a different key, no build hash (OKRA run from its sources), a damaged entry, an
 * output file changed or deleted since. The entry lives in `.okra/cache/` of the project, next to the
 * sync backups, in a folder that git-ignores itself.
 */
import { sha256Hash, sha256Hex, randomUUID } from '../hash'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ResolvedConfig } from '../config/types'
import { readTextIfExists, writeFileAtomic } from '../fs'
import type { Source } from '../language/source'
import { BUILD_CODE, CACHE_DIR, ensureCacheDir } from '../project/cache'
import { migrationPaths } from '../project/paths'
import { chainFingerprint, readChainLinks } from '../migrations/chain'
import type { DriftReport } from './drift'

export const BUILD_CACHE_DIR = CACHE_DIR
const ENTRY = 'build.json'

/** What a clean build produced: enough to answer the next build with the same key. */
export interface CachedBuild {
  /** The outputs (relative to the root, `/` separators) and the sha256 of the content each must still have. */
  outputs: { file: string; sha256: string }[]
  /** The schema's warnings, as printed. */
  warnings: string[]
  /** The drift check (which found no drift), or null when none ran. */
  drift: DriftReport | null
  /** The JavaScript of `virtual:okra/models`. */
  module: string
}

export interface BuildInputs {
  config: ResolvedConfig
  sources: readonly Source[]
  production: boolean
  drift: string
  /** okra.d.ts (absolute), or undefined when none is written. */
  dts: string | undefined
}

export class BuildCache {
  private readonly key: string
  private readonly file: string

  constructor(private readonly inputs: BuildInputs) {
    const { config, sources, production, drift, dts } = inputs
    const paths = migrationPaths(config)
    const parts = [
      BUILD_CODE,
      process.version,
      JSON.stringify(config),
      JSON.stringify({ production, drift, dts: dts ?? null }),
      ...sources.flatMap((s) => [s.path, s.text]),
      readTextIfExists(paths.snapshotSchema) ?? '\0none',
      readTextIfExists(paths.currentRenames) ?? '\0none',
      historyFingerprint(config),
    ]
    // Each part with its length first, so no two different lists of parts hash the same text.
    const hash = sha256Hash()
    for (const part of parts) hash.update(`${part.length}:`).update(part)
    this.key = hash.digest('hex')
    this.file = join(config.root, BUILD_CACHE_DIR, ENTRY)
  }

  /** The cached outcome for these inputs, when there is one and its outputs are still on disk as written. */
  lookup(): CachedBuild | undefined {
    let entry: (CachedBuild & { key: string }) | undefined
    try {
      entry = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch {
      return undefined
    }
    if (entry?.key !== this.key || !wellFormed(entry)) return undefined
    const root = this.inputs.config.root
    const intact = entry.outputs.every(({ file, sha256 }) => sha256OfFile(resolve(root, file)) === sha256)
    return intact ? { outputs: entry.outputs, warnings: entry.warnings, drift: entry.drift, module: entry.module } : undefined
  }

  /** Records a clean build. A cache that cannot be written only costs the next build its speed. */
  store(build: { outputs: { file: string; content: string }[]; warnings: string[]; drift: DriftReport | null; module: string }): void {
    if (build.drift?.drifted) return
    const outputs = build.outputs.map(({ file, content }) => ({ file, sha256: sha256(content) }))
    try {
      ensureCacheDir(join(this.inputs.config.root, BUILD_CACHE_DIR))
      writeFileAtomic(this.file, JSON.stringify({ key: this.key, outputs, warnings: build.warnings, drift: build.drift, module: build.module }))
    } catch {
      // A read-only checkout, a full disk: the build itself succeeded.
    }
  }
}

/** The migration chain (a folder deleted or added, a migration.json edited, changes the key); a damaged one never matches. */
function historyFingerprint(config: ResolvedConfig): string {
  try {
    return chainFingerprint(readChainLinks(migrationPaths(config).dir, config.root))
  } catch {
    return `\0damaged:${randomUUID()}`
  }
}

/** An entry as store() writes it (the key matched, so only a damaged or hand-edited file fails this). */
function wellFormed(entry: CachedBuild): boolean {
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string')
  return (
    Array.isArray(entry.outputs) &&
    entry.outputs.every((o) => typeof o?.file === 'string' && typeof o.sha256 === 'string') &&
    strings(entry.warnings) &&
    typeof entry.drift === 'object' &&
    typeof entry.module === 'string'
  )
}

function sha256(text: string | Buffer): string {
  return sha256Hex(text)
}

function sha256OfFile(path: string): string | undefined {
  try {
    return sha256(readFileSync(path))
  } catch {
    return undefined
  }
}
