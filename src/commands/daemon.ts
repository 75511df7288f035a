/**
 * `okra daemon:start`, `okra daemon:status`, `okra daemon:stop`: OKRA's daemon (src/daemon/server.ts) by
 * hand. The `okra` program starts it by itself for a person at a terminal (src/daemon/address.ts); these
 * start it for scripts and editors, show what runs, and stop it.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { CommandWiring } from './types'
import { userFolder } from '../code-cache'
import { OkraError } from '../errors'
import { daemonSocket } from '../daemon/address'
import { askDaemon, spawnDaemon } from '../daemon/client'
import type { Status } from '../daemon/protocol'
import { DEFAULT_IDLE_MINUTES, serveDaemon } from '../daemon/server'

declare const __OKRA_CLI_BUNDLE__: boolean | undefined
const IN_CLI_BUNDLE = typeof __OKRA_CLI_BUNDLE__ === 'boolean' && __OKRA_CLI_BUNDLE__

/** The socket of this OKRA's daemon: the okra program's, as OKRA loaded another way (the library) has none. */
function ownSocket(): string | undefined {
  return IN_CLI_BUNDLE ? daemonSocket(join(__dirname, 'cli.cjs')) : undefined
}

/** The okra program and its CLI file: the daemon runs the installed program, never a copy of OKRA loaded elsewhere. */
function programFiles(): { program: string; cli: string; socket: string } {
  if (!IN_CLI_BUNDLE) throw new OkraError('The OKRA daemon runs from the okra program only', 'Run it as `npx okra daemon:start`.')
  const socket = ownSocket()
  if (!socket) {
    throw new OkraError(
      process.platform === 'win32' ? 'The OKRA daemon is not available on Windows' : 'No private folder for the daemon\'s socket under the temporary directory',
      'Commands run in a process of their own, as with OKRA_DAEMON=0.',
    )
  }
  return { program: join(__dirname, 'okra.cjs'), cli: join(__dirname, 'cli.cjs'), socket }
}

function idleMinutes(env: Record<string, string | undefined>): number {
  const text = env.OKRA_DAEMON_IDLE_MINUTES
  if (text === undefined || text.trim() === '') return DEFAULT_IDLE_MINUTES
  const minutes = Number(text)
  if (!Number.isFinite(minutes) || minutes <= 0) throw new OkraError(`OKRA_DAEMON_IDLE_MINUTES must be a positive number of minutes, got '${text}'`, 'Set it to e.g. 30, or unset it.')
  return minutes
}

export interface StartResult {
  status: Status
  /** False when it was running already. */
  started: boolean
  socket: string
}

async function waitForDaemon(socket: string, pid: number | undefined): Promise<Status> {
  for (const until = Date.now() + 10_000; Date.now() < until; ) {
    const status = await askDaemon(socket, 'status')
    if (typeof status === 'object') return status
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new OkraError(`The OKRA daemon (pid ${pid ?? '?'}) did not answer within 10 s`, 'Run `okra daemon:start --foreground` to see why it does not start.')
}

export const start: CommandWiring<StartResult | undefined> = {
  description:
    'Starts OKRA\'s daemon, which runs db:validate, models:generate, db:sync, db:diff and db:migrate:status for the okra program: its code stays loaded and compiled, so each of those commands takes a fraction of a fresh process\'s time. One daemon per user, installed OKRA and Node; it ends after 30 idle minutes (OKRA_DAEMON_IDLE_MINUTES). The program starts it by itself for a person at a terminal; OKRA_DAEMON=0 never uses it.',
  flags: {
    foreground: { type: 'boolean', description: 'serve in this process until idle or stopped (the program runs the daemon so)' },
  },
  async run(context, flags) {
    const { program, cli, socket } = programFiles()
    const minutes = idleMinutes(context.processEnv)
    if (flags.foreground) {
      if (!(await serveDaemon({ socket, run: context.runCommandLine, cliFile: cli, idleMinutes: minutes }))) throw new OkraError(`An OKRA daemon already serves at ${socket}`, 'Stop it first with `okra daemon:stop`.')
      // A command that left a handle open (a timer, a connection) must not keep the process after its end.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref()
      return undefined
    }
    const running = await askDaemon(socket, 'status')
    if (typeof running === 'object') return { status: running, started: false, socket }
    const pid = spawnDaemon(program, context.processEnv)
    return { status: await waitForDaemon(socket, pid), started: true, socket }
  },
  printText(result, { stdout }) {
    if (!result) return
    stdout.line(`${stdout.paint.cyan('✓')} OKRA daemon ${result.started ? 'started' : 'already running'} (pid ${result.status.pid}) at ${result.socket}`)
  },
  toJSON: (result) => ({ ok: true, ...(result && { started: result.started, socket: result.socket, daemon: result.status }) }),
}

/** The sockets of this user's daemons, this OKRA's first. */
function allSockets(own: string | undefined): string[] {
  const dir = userFolder()
  const found = dir ? readdirSync(dir).filter((name) => /^daemon-\w+\.sock$/.test(name)).map((name) => join(dir, name)) : []
  return [...new Set([...(own ? [own] : []), ...found])]
}

export interface StatusResult {
  daemons: (Status & { socket: string; thisOkra: boolean })[]
}

export const status: CommandWiring<StatusResult> = {
  description: 'Lists the OKRA daemons of this user that answer: process id, Node version, the OKRA they run, since when, how many commands they ran.',
  flags: {},
  async run() {
    const own = ownSocket()
    const daemons: StatusResult['daemons'] = []
    for (const socket of allSockets(own)) {
      const answer = await askDaemon(socket, 'status')
      if (typeof answer === 'object') daemons.push({ ...answer, socket, thisOkra: socket === own })
    }
    return { daemons }
  },
  printText({ daemons }, { stdout }) {
    if (daemons.length === 0) stdout.line('No OKRA daemon is running.')
    for (const d of daemons) {
      stdout.line(`${d.thisOkra ? stdout.paint.cyan('●') : '○'} pid ${d.pid}, Node ${d.node}, since ${d.startedAt}, ${d.commands} command${d.commands === 1 ? '' : 's'}, ends after ${d.idleMinutes} idle minutes`)
      stdout.line(`  ${d.cli}${d.thisOkra ? '' : stdout.paint.dim(' (another OKRA or Node)')}`)
    }
  },
  toJSON: ({ daemons }) => ({ ok: true, daemons }),
}

export const stop: CommandWiring<{ stopped: number[] }> = {
  description: 'Stops every OKRA daemon of this user (each finishes the command it is running first) and removes the sockets of daemons that were killed.',
  flags: {},
  async run() {
    const stopped: number[] = []
    for (const socket of allSockets(ownSocket())) {
      const pid = await askDaemon(socket, 'stop')
      if (typeof pid === 'number') stopped.push(pid)
      // A socket nobody answers at was left by a daemon that was killed.
      else rmSync(socket, { force: true })
    }
    return { stopped }
  },
  printText({ stopped }, { stdout }) {
    stdout.line(stopped.length === 0 ? 'No OKRA daemon was running.' : `${stdout.paint.cyan('✓')} Stopped ${stopped.length === 1 ? 'the OKRA daemon' : `${stopped.length} OKRA daemons`} (pid ${stopped.join(', ')})`)
  },
  toJSON: ({ stopped }) => ({ ok: true, stopped }),
}
