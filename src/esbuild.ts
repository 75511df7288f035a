/** `unplugin-okra/esbuild`: the OKRA plugin for esbuild. */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.esbuild
