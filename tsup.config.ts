import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'tsup'

/**
 * A hash of everything the build is made from (src/ and package.json), compiled in as
 * `__OKRA_BUILD_HASH__`: the plugin's build cache (src/plugin/build-cache.ts) trusts an entry only
 * when it was written by this very build.
 */
function sourceHash(): string {
  const hash = createHash('sha256')
  const files = ['package.json', ...readdirSync('src', { recursive: true, encoding: 'utf8' }).map((file) => join('src', file))].sort()
  for (const file of files) {
    let text: Buffer
    try {
      text = readFileSync(file)
    } catch {
      continue // a directory
    }
    hash.update(`${file}\0${text.length}\0`).update(text)
  }
  return hash.digest('hex')
}

const define = { __OKRA_BUILD_HASH__: JSON.stringify(sourceHash()) }

export default defineConfig([
  {
    // The library: every bundler entry and the API, ESM + CJS with declarations.
    entry: ['src/index.ts', 'src/vite.ts', 'src/webpack.ts', 'src/esbuild.ts', 'src/rollup.ts', 'src/rspack.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    splitting: true,
    shims: true,
    define,
  },
  {
    // The CLI: ESM only, with a shebang; commands are loaded lazily so `okra --help` stays fast.
    entry: ['src/cli.ts'],
    format: ['esm'],
    target: 'node20',
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
    define,
  },
])
