/** `unplugin-okra/rspack`: the OKRA plugin for rspack (SPEC section 8). */
import { unpluginOkra } from './plugin/unplugin'

export default unpluginOkra.rspack
