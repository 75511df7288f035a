import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'esbuild'
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
  writeFileSync(`${outdir}/THIRD-PARTY-LICENSES.txt`, thirdPartyNotices("The dev panel's page", ['@dagrejs/dagre', '@dagrejs/graphlib']))
}

/** The licence of each package bundled into a file, for the THIRD-PARTY-LICENSES.txt beside it. */
function thirdPartyNotices(what: string, packages: string[]): string {
  const notices = packages.sort().map((name) => {
    const dir = join('node_modules', name)
    const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; license?: string; author?: string | { name: string } }
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.md|\.txt)?$/i.test(f))
    // A few packages ship no licence file: their package.json names the licence and the author holds the copyright.
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `${meta.license} licence (package.json), copyright ${typeof meta.author === 'string' ? meta.author : meta.author?.name ?? 'its authors'}`
    return `${name} ${meta.version}\n\n${text}\n`
  })
  return `${what} bundles these libraries:\n\n${notices.join('\n')}`
}

/** The packages bundled into each program file, per output folder (the CLI and pg bundles are built side by side). */
const bundledPackages = new Map<string, Map<string, Set<string>>>()

/** Writes THIRD-PARTY-LICENSES.txt beside the program's bundles, naming every package the bundler put into them. */
function programNotices(): Plugin {
  return {
    name: 'okra-third-party-notices',
    setup(build) {
      build.initialOptions.metafile = true
      build.onEnd((result) => {
        if (!result.metafile) return
        const outdir = build.initialOptions.outdir ?? 'dist'
        const bundles = bundledPackages.get(outdir) ?? new Map<string, Set<string>>()
        bundledPackages.set(outdir, bundles)
        for (const [file, output] of Object.entries(result.metafile.outputs)) {
          const packages = new Set<string>()
          for (const input of Object.keys(output.inputs)) {
            const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
            // tsup's own shim (import.meta.url in CommonJS) is build output, not a library.
            if (match && match[1] !== 'tsup') packages.add(match[1])
          }
          bundles.set(file, packages)
        }
        const all = [...new Set([...bundles.values()].flatMap((packages) => [...packages]))]
        if (!existsSync(outdir)) mkdirSync(outdir, { recursive: true })
        writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyNotices('The okra program (cli.cjs, pg.cjs)', all))
      })
    },
  }
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
    // better-sqlite3's JavaScript is bundled in, so it is code-cached too (src/dialects/packages.ts).
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    target: 'node20',
    splitting: false,
    shims: true,
    define: { ...define, __OKRA_CLI_BUNDLE__: 'true' },
    noExternal: ['better-sqlite3'],
    external: ['bindings'],
    esbuildPlugins: [programNotices()],
  },
  {
    // pg as one CommonJS file, which the CLI loads through a code cache of its own (src/dialects/packages.ts);
    // what pg requires only in other runtimes stays outside.
    entry: { pg: 'node_modules/pg/lib/index.js' },
    format: ['cjs'],
    target: 'node20',
    external: ['pg-native', 'pg-cloudflare'],
    esbuildPlugins: [programNotices()],
  },
  {
    entry: { okra: 'src/bin.ts' },
    format: ['cjs'],
    target: 'node20',
    shims: true,
    banner: { js: '#!/usr/bin/env node' },
  },
])
