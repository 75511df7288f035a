import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
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

/**
 * The dev panel's page (src/panel/ui), bundled for the browser into dist/panel/ui and shipped in the
 * package: it loads nothing from the network. The layout code is an entry of its own (layout.js, the
 * same code the page runs), so the benchmark can measure it in Node.
 */
async function buildPanelPage(): Promise<void> {
  const { build } = await import('esbuild')
  const outdir = 'dist/panel/ui'
  await build({
    entryPoints: ['src/panel/ui/app.ts', 'src/panel/layout.ts', 'src/panel/ui/app.css'],
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox114', 'safari16.4'],
    minify: true,
    // The bundled libraries' licences go into one file instead (their own comments only point at files not shipped).
    legalComments: 'none',
    logLevel: 'warning',
  })
  copyFileSync('src/panel/ui/index.html', `${outdir}/index.html`)
  const bundled = ['@dagrejs/dagre', '@dagrejs/graphlib']
  const notices = bundled.map((name) => `${name}\n\n${readFileSync(`node_modules/${name}/LICENSE`, 'utf8').trim()}\n`)
  writeFileSync(`${outdir}/THIRD-PARTY-LICENSES.txt`, `The dev panel's page bundles these libraries:\n\n${notices.join('\n')}`)
}

export default defineConfig([
  {
    // The library: every bundler entry and the API, ESM + CJS with declarations; and the dev panel's server side
    // (dist/panel/index.js, which the benchmark measures), then its page (buildPanelPage).
    entry: ['src/index.ts', 'src/vite.ts', 'src/webpack.ts', 'src/esbuild.ts', 'src/rollup.ts', 'src/rspack.ts', 'src/panel/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    splitting: true,
    shims: true,
    define,
    onSuccess: buildPanelPage,
  },
  {
    // The CLI as one CommonJS file (dist/cli.cjs), which the `okra` program (dist/okra.cjs, with a shebang)
    // runs through V8's code cache (src/code-cache.ts): Node 20 caches compiled code only for such a file.
    // Commands stay lazily initialised inside it, so `okra --help` loads no database or GraphQL package.
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    target: 'node20',
    splitting: false,
    shims: true,
    define,
  },
  {
    entry: { okra: 'src/bin.ts' },
    format: ['cjs'],
    target: 'node20',
    shims: true,
    banner: { js: '#!/usr/bin/env node' },
  },
])
