/**
 * The `okra` command line: argument parsing, the command registry, and the one place that prints
 * errors and chooses the exit code. Command modules are imported only when their command runs (built into
 * one file, dist/cli.cjs, they are initialised then), so `okra --help` loads no database or GraphQL package
 * and runs no compiler code. The `okra` program (src/bin.ts) answers `--version` before loading this.
 */
import { resolve } from 'node:path'
import { GLOBAL_FLAGS, commandWord } from './command-line'
import { suggestionSuffix } from './config/suggest'
import { type CommandContext, type CommandWiring, type FlagSpec, type FlagValue, OPERAND } from './commands/types'
import { OkraError, UsageError } from './errors'
import { maskUrl } from './config/url'
import { exitCodeOf, problemToJSON, renderProblem } from './problems'
import { quietWhenClosed } from './quiet-stream'
import { type Terminal, type WritableLike, createTerminal } from './terminal'
import { asksForVersion, packageVersion } from './version'

interface CommandModule {
  command: CommandWiring<unknown>
}

interface RegistryEntry {
  summary: string
  load(): Promise<CommandModule>
}

const COMMANDS: Record<string, RegistryEntry> = {
  init: {
    summary: 'create okra.config.json, models.okra.gql, migrations/ and the .gitignore block (--provider, --url)',
    load: () => import('./commands/init') as Promise<CommandModule>,
  },
  'db:validate': {
    summary: 'parse and validate all schema files',
    load: () => import('./commands/validate') as Promise<CommandModule>,
  },
  'models:generate': {
    summary: 'write the configured type outputs',
    load: () => import('./commands/generate') as Promise<CommandModule>,
  },
  'db:sync': {
    summary: 'make the database match the schema (destructive changes need --accept-data-loss)',
    load: () => import('./commands/sync') as Promise<CommandModule>,
  },
  'db:diff': {
    summary: 'list the changes since the last snapshot (--sql, --exit-code)',
    load: () => import('./commands/diff') as Promise<CommandModule>,
  },
  'db:pull': {
    summary: 'write *.okra.gql from an existing database (--force, --baseline)',
    load: () => import('./commands/pull') as Promise<CommandModule>,
  },
  'db:reset': {
    summary: 'drop everything OKRA manages, replay the migrations, sync the rest, run the seeds (--from-schema, --skip-seed, --force)',
    load: () => import('./commands/reset') as Promise<CommandModule>,
  },
  'db:backup': {
    summary: 'take a backup of the database now, named <db>-<timestamp> (--list shows this database\'s backups)',
    load: () => import('./commands/backup') as Promise<CommandModule>,
  },
  'db:restore': {
    summary: 'restore a backup over the database (the newest by default; asks, --force)',
    load: () => import('./commands/restore') as Promise<CommandModule>,
  },
  'db:seed': {
    summary: 'run seeds/*.sql in name order, each in a transaction',
    load: () => import('./commands/seed') as Promise<CommandModule>,
  },
  'db:migrate:snapshot': {
    summary: 'write one migration with the net change since the last snapshot (--name, --sync | --force)',
    load: () => import('./commands/snapshot') as Promise<CommandModule>,
  },
  'db:migrate:create': {
    summary: 'write a migration for hand editing: migration.sql with the net change, or empty (--name N required)',
    load: () => import('./commands/create') as Promise<CommandModule>,
  },
  'db:migrate:up': {
    summary: 'apply the pending migrations, each in a transaction (--steps, --dry-run, --lock-timeout, --lock-wait)',
    load: () => import('./commands/migrate-up') as Promise<CommandModule>,
  },
  'db:migrate:down': {
    summary: 'revert the last applied migrations (--steps, --dry-run, --force)',
    load: () => import('./commands/migrate-down') as Promise<CommandModule>,
  },
  'db:migrate:status': {
    summary: 'list applied, pending and changed migrations, and drift (--exit-code)',
    load: () => import('./commands/migrate-status') as Promise<CommandModule>,
  },
  'db:migrate:rebase': {
    summary: 'make a forked migration history one line again: move one branch after the other (--onto ID, --dry-run)',
    load: () => import('./commands/migrate-rebase') as Promise<CommandModule>,
  },
  'db:migrate:lint': {
    summary: 'report risky statements in the pending migrations: drops, required columns, renames, locks (--all, --exit-code)',
    load: () => import('./commands/migrate-lint') as Promise<CommandModule>,
  },
  'db:migrate:resolve': {
    summary: 'mark a migration applied or rolled back by hand (--applied ID | --rolled-back ID)',
    load: () => import('./commands/migrate-resolve') as Promise<CommandModule>,
  },
  'db:migrate:unlock': {
    summary: 'remove a migration lock left by a process that is gone (asks; --force without a terminal)',
    load: () => import('./commands/migrate-unlock') as Promise<CommandModule>,
  },
  dev: {
    summary: 'watch the schema: regenerate the types and auto-sync the dev database; --ui serves the dev panel (--no-sync, --debounce, --ui, --port)',
    load: () => import('./commands/dev') as Promise<CommandModule>,
  },
  build: {
    summary: 'write the types and fail on drift from the snapshot, as a production build does (--drift)',
    load: () => import('./commands/build') as Promise<CommandModule>,
  },
  'daemon:start': {
    summary: "start OKRA's daemon, which runs the dev loop's commands without a fresh process's start-up (--foreground)",
    load: () => import('./commands/daemon').then(({ start }) => ({ command: start }) as CommandModule),
  },
  'daemon:status': {
    summary: "list this user's OKRA daemons",
    load: () => import('./commands/daemon').then(({ status }) => ({ command: status }) as CommandModule),
  },
  'daemon:stop': {
    summary: "stop this user's OKRA daemons",
    load: () => import('./commands/daemon').then(({ stop }) => ({ command: stop }) as CommandModule),
  },
}

const ALIASES: Record<string, string> = { 'db:init': 'init', 'db:migrate:generate': 'db:migrate:snapshot', 'migrate:generate': 'db:migrate:snapshot' }

/**
 * The registered name a command is called by, following aliases; `migrate:*` answers for any
 * registered `db:migrate:*`. `commands` defaults to the registry.
 */
export function resolveCommandName(name: string, commands: readonly string[] = Object.keys(COMMANDS)): string | undefined {
  if (commands.includes(name)) return name
  if (Object.hasOwn(ALIASES, name) && commands.includes(ALIASES[name])) return ALIASES[name]
  if (name.startsWith('migrate:') && commands.includes(`db:${name}`)) return `db:${name}`
  return undefined
}

function allCommandNames(): string[] {
  const migrateAliases = Object.keys(COMMANDS)
    .filter((name) => name.startsWith('db:migrate:'))
    .map((name) => name.slice('db:'.length))
  return [...Object.keys(COMMANDS), ...Object.keys(ALIASES), ...migrateAliases]
}

function aliasesOf(name: string): string[] {
  const aliases = name.startsWith('db:migrate:') ? [name.slice('db:'.length)] : []
  return [...aliases, ...Object.keys(ALIASES).filter((alias) => ALIASES[alias] === name)]
}

const SHORT_FLAGS: Record<string, string> = { '-h': 'help', '-v': 'version' }

interface ParsedArgs {
  command?: string
  flags: Record<string, FlagValue | undefined>
}

/** Splits `--name=value` / `--name value` / `-h`; the first other word is the command. */
function parseArgs(argv: string[], specs: Record<string, FlagSpec>, commandHelp: string, takesOperand = false): ParsedArgs {
  const flags: Record<string, FlagValue | undefined> = {}
  let command: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]
    if (!token.startsWith('-') || token === '-') {
      if (command === undefined) command = token
      else if (takesOperand && flags[OPERAND] === undefined) flags[OPERAND] = token
      else throw new UsageError(`Unexpected argument '${token}'`, `See \`${commandHelp}\`.`)
      continue
    }
    const equals = token.indexOf('=')
    const name = SHORT_FLAGS[token] ?? (equals === -1 ? token : token.slice(0, equals)).replace(/^--?/, '')
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
    if (!spec) {
      const known = Object.keys(specs).map((flag) => `--${flag}`)
      throw new UsageError(`Unknown option '${token.split('=')[0]}'${suggestionSuffix(`--${name}`, known)}`, `See \`${commandHelp}\`.`)
    }
    const inline = equals === -1 ? undefined : token.slice(equals + 1)
    if (spec.type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(`--${name} takes no value (or true/false), got '${inline}'`)
      flags[name] = inline !== 'false'
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value (${spec.value ?? 'VALUE'})`, `See \`${commandHelp}\`.`)
    }
    if (spec.type === 'number') {
      const number = Number(value)
      if (value.trim() === '' || !Number.isFinite(number)) throw new UsageError(`--${name} expects a number, got '${value}'`)
      flags[name] = number
    } else flags[name] = value
  }
  return { command, flags }
}

/** The command word, --json and --version, found before the command's own flags are known. */
function peekGlobals(argv: string[]): { command?: string; json: boolean; version: boolean } {
  return { command: commandWord(argv), json: argv.includes('--json'), version: asksForVersion(argv) }
}

function flagLines(specs: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const short = Object.keys(SHORT_FLAGS).find((s) => SHORT_FLAGS[s] === name)
    return [`--${name}${spec.value ? ` ${spec.value}` : ''}${short ? `, ${short}` : ''}`, spec.description]
  })
  const width = Math.max(...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

function generalHelp(): string {
  const rows = Object.entries(COMMANDS).map(([name, entry]) => [[name, ...aliasesOf(name)].join(', '), entry.summary])
  const width = Math.max(...rows.map(([left]) => left.length))
  return [
    `okra ${packageVersion()}: describe your data once in *.okra.gql; OKRA keeps types, database and migrations in step.`,
    '',
    'Usage: okra <command> [options]',
    '',
    'Commands:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
    'Options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Run `okra <command> --help` for the options of a command.',
  ].join('\n')
}

function commandHelp(name: string, wiring: CommandWiring<unknown>): string {
  const aliases = aliasesOf(name)
  const own = Object.keys(wiring.flags).length > 0 ? ['', 'Options:', ...flagLines(wiring.flags)] : []
  return [
    `Usage: okra ${name}${wiring.operand ? ` [${wiring.operand.value}]` : ''} [options]${aliases.length ? `  (also: ${aliases.join(', ')})` : ''}`,
    '',
    wiring.description,
    ...(wiring.operand ? ['', `  ${wiring.operand.value}  ${wiring.operand.description}`] : []),
    ...own,
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
  ].join('\n')
}

export interface MainIO {
  cwd?: string
  stdout?: WritableLike
  stderr?: WritableLike
  stdin?: NodeJS.ReadableStream
  stdinIsTTY?: boolean
  env?: Record<string, string | undefined>
}

/** Every byte the CLI writes (lines, JSON, progress, prompts) passes through maskUrl: no password is ever shown. */
function masking(stream: WritableLike): WritableLike {
  return { write: (chunk: string) => stream.write(maskUrl(chunk)), isTTY: stream.isTTY }
}

/** Runs the CLI with these arguments (without `node okra`) and returns the exit code. Never throws. */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const env = io.env ?? process.env
  const terminal = createTerminal({
    stdout: masking(io.stdout ?? process.stdout),
    stderr: masking(io.stderr ?? process.stderr),
    // process.stdin is made only for a question (making it costs a command a millisecond): the terminal reads
    // process.stdin when it has no other, and whether it is a terminal is looked up when asked.
    stdin: io.stdin,
    get stdinIsTTY() {
      return io.stdinIsTTY ?? process.stdin.isTTY === true
    },
    env,
  })
  const globals = peekGlobals(argv)
  try {
    return await runCommand(argv, globals, terminal, io.cwd ?? process.cwd(), env)
  } catch (error) {
    return reportError(error, terminal, globals.json, env)
  }
}

async function runCommand(
  argv: string[],
  globals: ReturnType<typeof peekGlobals>,
  terminal: Terminal,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<number> {
  if (globals.version) {
    terminal.stdout.line(packageVersion())
    return 0
  }
  if (globals.command === undefined) {
    parseArgs(argv, GLOBAL_FLAGS, 'okra --help')
    terminal.stdout.line(generalHelp())
    return 0
  }
  const name = resolveCommandName(globals.command)
  if (name === undefined) {
    throw new UsageError(`Unknown command '${globals.command}'${suggestionSuffix(globals.command, allCommandNames())}`, 'Run `okra --help` to list the commands.')
  }
  const { command } = await COMMANDS[name].load()
  const { flags } = parseArgs(argv, { ...command.flags, ...GLOBAL_FLAGS }, `okra ${name} --help`, command.operand !== undefined)
  if (flags.help) {
    terminal.stdout.line(commandHelp(name, command))
    return 0
  }
  const context: CommandContext = {
    cwd: resolve(cwd, typeof flags.cwd === 'string' ? flags.cwd : '.'),
    configFile: flags.config as string | undefined,
    env: flags.env as string | undefined,
    processEnv: env,
    terminal,
    json: flags.json === true,
    runCommandLine: main,
  }
  const result = await command.run(context, flags)
  if (context.json) terminal.stdout.line(JSON.stringify(command.toJSON(result), null, 2))
  else command.printText(result, terminal)
  return command.exitCode?.(result) ?? 0
}

/**
 * Prints the error once (problems.ts) and returns the exit code. With --json, the document goes to
 * stdout; a bug in okra is also described on stderr, where people look.
 */
function reportError(error: unknown, terminal: Terminal, json: boolean, env: Record<string, string | undefined>): number {
  if (json) terminal.stdout.line(JSON.stringify({ ok: false, error: problemToJSON(error) }, null, 2))
  if (!json || !(error instanceof OkraError)) terminal.stderr.line(renderProblem(error, { paint: terminal.stderr.paint, debug: env.OKRA_DEBUG === '1' }))
  return exitCodeOf(error)
}

/** The `okra` program (src/bin.ts): runs the command line of this process and sets its exit code. */
export async function runProgram(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), { stdout: quietWhenClosed(process.stdout), stderr: quietWhenClosed(process.stderr) })
}
