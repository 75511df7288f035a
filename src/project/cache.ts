/**
 * `.okra/cache/`: what OKRA keeps between runs to skip work it has done before (the bundler plugin's
 * build entry, the compiled schema). Every entry is keyed by a hash of everything its content is
 * computed from, including this very build of OKRA, so an entry is used only when recomputing it would
 * give the same thing; anything else (no entry, another key, a damaged file) is a miss.
 */
import { randomUUID } from '../hash'
import { mkdirSync, writeFileSync } from 'node:fs'
import { readTextIfExists } from '../fs'
import { join } from 'node:path'

/** A hash of OKRA's sources, defined by the package build (tsup.config.ts). */
declare const __OKRA_BUILD_HASH__: string | undefined

/**
 * This build of OKRA, for cache keys. Run from its sources (the tests), OKRA has no build hash: keys then
 * name this process, so an entry written by other code is never read.
 */
export const BUILD_CODE = typeof __OKRA_BUILD_HASH__ === 'string' ? __OKRA_BUILD_HASH__ : `unbuilt:${process.pid}:${randomUUID()}`

export const CACHE_DIR = '.okra/cache'

const GITIGNORE = '# Written by unplugin-okra: a build cache, safe to delete.\n*\n'

/** The cache folder, with a .gitignore of its own so it never shows up in git (rewritten only when it differs). */
export function ensureCacheDir(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, '.gitignore')
  if (readTextIfExists(file) !== GITIGNORE) writeFileSync(file, GITIGNORE)
}
