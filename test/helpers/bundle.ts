/**
 * Source files bundled into one CommonJS file for a child Node process (a lock holder, a fresh process
 * that loads a package): lazily imported modules are required, and import.meta.url is the file's URL, as
 * in the package build's CommonJS files. better-sqlite3 and pg stay outside: the child finds them through
 * NODE_PATH (`CHILD_NODE_PATH`).
 */
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export const CHILD_NODE_PATH = fileURLToPath(new URL('../../node_modules', import.meta.url))

export async function bundleAsCommonJS(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    external: ['better-sqlite3', 'pg'],
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'silent',
  })
}
