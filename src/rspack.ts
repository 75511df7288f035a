/** `unplugin-okra/rspack`: the OKRA plugin for rspack. */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.rspack
