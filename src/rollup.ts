/** `unplugin-okra/rollup`: the OKRA plugin for rollup (SPEC section 8). */
import { unpluginOkra } from './plugin/unplugin'

export default unpluginOkra.rollup
