import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // The library: every bundler entry and the API, ESM + CJS with declarations.
    entry: ['src/index.ts', 'src/vite.ts', 'src/webpack.ts', 'src/esbuild.ts', 'src/rollup.ts', 'src/rspack.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    splitting: true,
    shims: true,
  },
  {
    // The CLI: ESM only, with a shebang; commands are loaded lazily so `okra --help` stays fast.
    entry: ['src/cli.ts'],
    format: ['esm'],
    target: 'node20',
    splitting: true,
    banner: { js: '#!/usr/bin/env node' },
  },
])
