/**
 * The unplugin instance behind the webpack, Rollup, esbuild and Rspack entries. Vite's entry
 * (src/vite.ts) uses the factory without it, so a Vite build never loads unplugin.
 */
import { createUnplugin } from 'unplugin'
import { unpluginFactory } from './unplugin'

export const unpluginOkra = /* #__PURE__ */ createUnplugin(unpluginFactory)
