/** `unplugin-okra/rspack`: the OKRA plugin for rspack (SPEC section 8). */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.rspack
