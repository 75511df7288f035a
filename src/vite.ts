/**
 * `unplugin-okra/vite`: the OKRA plugin for vite, made from the same factory as every
 * other bundler's (src/plugin/unplugin.ts) but without loading unplugin, whose entry loads its adapters
 * for every bundler: that alone would cost a `vite build` more than all OKRA does in it. For Vite,
 * unplugin's adapter only merges the factory's `vite` hooks into the plugin and filters the ids the
 * `resolveId` and `load` hooks see, which Vite does itself (hook filters) and the handlers do again.
 */
import type { Plugin } from 'vite'
import type { OkraPluginOptions } from './plugin/options'
import { unpluginFactory } from './plugin/unplugin'

export default function okra(options?: OkraPluginOptions): Plugin {
  const { vite, rollup, webpack, rspack, esbuild, ...hooks } = unpluginFactory(options, { framework: 'vite', versions: {} })
  return { ...hooks, ...vite } as Plugin
}
