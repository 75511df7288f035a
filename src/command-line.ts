/**
 * What every `okra` command line shares: the global flags, and which word names the command. The `okra`
 * program (src/bin.ts) reads the command before loading the CLI (its code cache is kept per command), so
 * this module stays free of the CLI's code.
 */
import type { FlagSpec } from './commands/types'

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  config: { type: 'string', value: 'FILE', description: 'config file (default: okra.config.json in the project root)' },
  env: { type: 'string', value: 'NAME', description: 'environment from the config (default: OKRA_ENV, else local)' },
  cwd: { type: 'string', value: 'DIR', description: 'project root (default: the current directory)' },
  json: { type: 'boolean', description: 'print one JSON document for machines' },
  help: { type: 'boolean', description: 'show help' },
  version: { type: 'boolean', description: 'print the version' },
}

/** The command's name: the first word that is neither a flag nor the value of a global flag (`--cwd app`). */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (token.startsWith('--') && Object.hasOwn(GLOBAL_FLAGS, token.slice(2)) && GLOBAL_FLAGS[token.slice(2)]!.type === 'string') i++
    else if (!token.startsWith('-')) return token
  }
  return undefined
}
