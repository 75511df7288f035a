/** `unplugin-okra/webpack`: the OKRA plugin for webpack (SPEC section 8). */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.webpack
