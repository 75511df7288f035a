/**
 * The published entries (`unplugin-okra/vite` etc., from dist/, which `npm test` builds first): each
 * default export is that bundler's plugin, from ESM and from CommonJS.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BUNDLERS } from './builds'

const DIST = join(import.meta.dirname, '..', '..', 'dist')
const require = createRequire(import.meta.url)

describe.each(BUNDLERS)('unplugin-okra/%s', (bundler) => {
  it('exports the plugin as default, from ESM and CommonJS', async () => {
    const esm = (await import(pathToFileURL(join(DIST, `${bundler}.js`)).href)) as { default: (options?: object) => unknown }
    const cjs = require(join(DIST, `${bundler}.cjs`)) as { default: (options?: object) => unknown }
    for (const plugin of [esm.default({ dts: false }), cjs.default({ dts: false })]) {
      // Rollup-like and esbuild plugins are named objects; webpack and Rspack plugins have apply().
      const shape = plugin as { name?: string; apply?: unknown }
      if (bundler === 'webpack' || bundler === 'rspack') expect(typeof shape.apply).toBe('function')
      else expect(shape.name).toBe('unplugin-okra')
    }
  })

  it('rejects a misspelt option at once, naming it', async () => {
    const { default: plugin } = (await import(pathToFileURL(join(DIST, `${bundler}.js`)).href)) as { default: (options?: object) => never }
    // webpack and Rspack run the factory when the compiler applies the plugin.
    const create = async () => {
      if (bundler === 'webpack') (await import('webpack')).default({ entry: '/nowhere.js', plugins: [plugin({ drfit: 'warn' })] })
      else if (bundler === 'rspack') (await import('@rspack/core')).rspack({ entry: '/nowhere.js', plugins: [plugin({ drfit: 'warn' })] })
      else plugin({ drfit: 'warn' })
    }
    await expect(create()).rejects.toThrow("unknown option 'drfit'")
  })
})
