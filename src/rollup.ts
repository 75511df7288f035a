/** `unplugin-okra/rollup`: the OKRA plugin for rollup. */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.rollup
