// The plugin as users load it (`unplugin-okra/vite`), from this repository's build: `npm run playground` builds it first.
import { defineConfig } from 'vite'
import okra from '../dist/vite.js'

export default defineConfig({
  plugins: [okra()],
})
