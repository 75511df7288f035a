/** `unplugin-okra/webpack`: the OKRA plugin for webpack. */
import { unpluginOkra } from './plugin/instance'

export default unpluginOkra.webpack
