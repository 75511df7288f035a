/** `unplugin-okra/webpack`: the OKRA plugin for webpack (SPEC section 8). */
import { unpluginOkra } from './plugin/unplugin'

export default unpluginOkra.webpack
