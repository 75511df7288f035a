/**
 * What a command module gives the CLI (src/cli.ts) and what the CLI gives it: each command file exports
 * its function and, as `command`, its wiring (flags, run, how the result prints).
 */
import type { RunCommandLine } from '../daemon/server'
import type { Terminal } from '../terminal'

export type FlagValue = string | number | boolean

/** The key under which a command's operand reaches `run` (never a flag name: flags start with a letter). */
export const OPERAND = '_'

export interface FlagSpec {
  type: 'boolean' | 'string' | 'number'
  description: string
  /** The value's placeholder in help (`FILE`, `N`). */
  value?: string
}

/** What every command receives from the global flags. */
export interface CommandContext {
  /** The project root: `--cwd`, resolved against the working directory. */
  cwd: string
  /** `--config FILE`. */
  configFile?: string
  /** `--env NAME`. */
  env?: string
  processEnv: Record<string, string | undefined>
  terminal: Terminal
  json: boolean
  /** The CLI itself, for a command that runs other command lines (`daemon:start --foreground`). */
  runCommandLine: RunCommandLine
}

/** A command module's CLI wiring, exported as `command` next to the function it calls. */
export interface CommandWiring<Result> {
  /** Shown by `okra <command> --help`, after the usage line. */
  description: string
  /** Flags of this command only; the global ones are added by the CLI. */
  flags: Record<string, FlagSpec>
  /** One optional word after the command (`okra db:restore [NAME]`), handed to `run` as `flags[OPERAND]`. */
  operand?: { value: string; description: string }
  run(context: CommandContext, flags: Record<string, FlagValue | undefined>): Promise<Result>
  /** The result for people: stdout for the outcome, stderr for diagnostics. */
  printText(result: Result, terminal: Terminal): void
  /** The result for machines (`--json`): one document on stdout. */
  toJSON(result: Result): unknown
  /** Default 0. */
  exitCode?(result: Result): number
}
