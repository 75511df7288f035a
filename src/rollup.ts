/** `unplugin-okra/rollup`: the OKRA plugin for rollup (SPEC section 8). */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.rollup
