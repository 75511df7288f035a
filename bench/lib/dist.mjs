/**
 * Benchmarks measure the BUILT package (what users run), from `dist/`. OKRA_BENCH_DIST points at
 * another build directory, e.g. to compare two builds.
 *
 * A capability that does not exist yet is reported as missing, never as a crash, so `npm run bench`
 * keeps working while the package grows.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
export const distDir = resolve(process.env.OKRA_BENCH_DIST ?? join(projectRoot, 'dist'))

/** Absolute path of a file in the build (`distFile('okra.cjs')`), or null when it was not built. */
export function distFile(name) {
  const file = join(distDir, name)
  return existsSync(file) ? file : null
}

/**
 * Imports dist/index.js and picks the named exports that are functions.
 * Returns `{ api, missing, reason }`: `api` holds what exists; `missing` lists the names that don't;
 * `reason` says why nothing could be loaded at all (no build, or the build throws on import).
 */
export async function loadBuilt(names) {
  const entry = distFile('index.js')
  if (!entry) return { api: {}, missing: [...names], reason: `${join(distDir, 'index.js')} not found (run npm run build)` }
  let mod
  try {
    mod = await import(pathToFileURL(entry).href)
  } catch (e) {
    return { api: {}, missing: [...names], reason: `importing ${entry} failed: ${e instanceof Error ? e.message : e}` }
  }
  const api = {}
  const missing = []
  for (const name of names) {
    if (typeof mod[name] === 'function') api[name] = mod[name]
    else missing.push(name)
  }
  return { api, missing, reason: null }
}
