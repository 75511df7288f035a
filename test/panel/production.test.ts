/**
 * Nothing of the dev panel outside dev servers: a production `vite build` with the BUILT plugin
 * (dist/vite.js) ships none of it in the app, loads none of its modules, and the entries of the package
 * (the bundler plugins, the CLI before a command runs) reach the panel only through a dynamic import.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cleanProject } from '../bundlers/builds'
import { makeTempDir } from '../helpers/tmp'

const DIST = join(import.meta.dirname, '..', '..', 'dist')

/** Text only the panel's code holds: its server, its source over the context, its page. */
const PANEL_MARKS = ['/__okra/', 'x-okra-token', 'okra-state', 'text/event-stream', 'ContextPanelSource', 'createPanelHandler']

/** A module and its static imports, followed through relative chunks (dynamic imports are not followed). */
function staticallyLoaded(file: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(file)) return seen
  const code = readFileSync(file, 'utf8')
  seen.set(file, code)
  for (const [, specifier] of code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm)) {
    if (specifier?.startsWith('.')) staticallyLoaded(resolve(dirname(file), specifier), seen)
  }
  return seen
}

describe('the dev panel stays out of production', () => {
  it('a production vite build with the built plugin ships nothing of it', async () => {
    if (!existsSync(join(DIST, 'vite.js'))) throw new Error('dist/ is missing: this test uses the built package (npm run build)')
    const root = makeTempDir('okra-panel-prod-')
    cleanProject(root)
    const { default: okra } = (await import(pathToFileURL(join(DIST, 'vite.js')).href)) as { default: (options?: object) => import('vite').Plugin }
    const { build, createLogger } = await import('vite')
    const output = await build({
      root,
      configFile: false,
      customLogger: createLogger('silent'),
      logLevel: 'silent',
      plugins: [okra()],
      build: { outDir: join(root, 'out'), minify: false, rollupOptions: { input: join(root, 'src/main.js') } },
    })
    const results = Array.isArray(output) ? output : [output]
    const files = readdirSync(join(root, 'out'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
    expect(files.length).toBeGreaterThan(0)
    const shipped = files.map((file) => readFileSync(join(root, 'out', file), 'utf8')).join('\n')
    expect(shipped).toContain('users') // the virtual module made it in
    for (const mark of PANEL_MARKS) expect(shipped).not.toContain(mark)
    expect(results.length).toBe(1)
    // The build opened no database either.
    expect(existsSync(join(root, 'dev.db'))).toBe(false)
  })

  it('the package entries load the panel only on demand', () => {
    const everything = readdirSync(DIST).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(DIST, file), 'utf8')).join('\n')
    // The marks are real: the built package holds them, in chunks loaded lazily.
    for (const mark of ['ContextPanelSource', 'createPanelHandler']) expect(everything).toContain(mark)
    for (const entry of ['vite.js', 'webpack.js', 'rspack.js', 'rollup.js', 'esbuild.js', 'index.js']) {
      const code = [...staticallyLoaded(join(DIST, entry)).values()].join('\n')
      for (const mark of ['class ContextPanelSource', 'function createPanelHandler(']) expect(code, `${entry} loads ${mark}`).not.toContain(mark)
    }
  })
})
