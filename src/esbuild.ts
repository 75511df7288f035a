/** `unplugin-okra/esbuild`: the OKRA plugin for esbuild (SPEC section 8). */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.esbuild
