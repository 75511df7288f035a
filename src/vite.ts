/** `unplugin-okra/vite`: the OKRA plugin for vite (SPEC section 8). */
import { unpluginOkra } from './plugin/unplugin'

export default unpluginOkra.vite
