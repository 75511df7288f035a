/**
 * OKRA's daemon: a process that stays after a command and runs the next ones (`okra db:sync`,
 * `okra models:generate`, ... see address.ts) that the `okra` program hands it over a socket. A fresh Node
 * process runs OKRA's code cold, interpreted, and spends most of a short command starting; here the code is
 * loaded and compiled once and gets faster with use, while every command still reads its files, its
 * configuration and its database afresh, with the program's working directory, variables and umask
 * (asTheProgram).
 *
 * Commands run one after the other, as separate processes would take turns on their locks; a PostgreSQL
 * session a command opened stays open two minutes for the next command (dialects/index.ts). The daemon ends
 * when idle (30 minutes; OKRA_DAEMON_IDLE_MINUTES), on `okra daemon:stop`, or on SIGTERM/SIGINT, removing
 * its socket; a program that finds only a socket left by a killed daemon runs the command itself. Ctrl-C at
 * the program stops its command, rolling back what it had not committed (cancel.ts).
 */
import { type Server, type Socket, createServer } from 'node:net'
import { rmSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { deferringTasks } from '../after-command'
import { cancellable } from '../cancel'
import type { WritableLike } from '../terminal'
import { closeKeptConnections, keepConnections } from '../dialects/index'
import { askDaemon } from './client'
import { type Request, type Status, onMessages, send } from './protocol'
import { warmUp } from './warm-up'

export const DEFAULT_IDLE_MINUTES = 30
/** How long a database session stays open after a command, for the next one (dialects/index.ts). */
export const KEEP_CONNECTIONS_MS = 2 * 60_000

/** Where a command line run by the daemon reads and writes: the program's (see runRequest). */
export interface CommandLineIO {
  cwd: string
  env: Record<string, string | undefined>
  stdout: WritableLike
  stderr: WritableLike
  stdin: NodeJS.ReadableStream
  stdinIsTTY: boolean
}

/** Runs one command line and gives its exit code: the CLI's `main`. */
export type RunCommandLine = (argv: string[], io: CommandLineIO) => Promise<number>

export interface DaemonOptions {
  socket: string
  run: RunCommandLine
  /** The CLI file this daemon runs (for `okra daemon:status`). */
  cliFile: string
  idleMinutes: number
}

function listenOnce(server: Server, socket: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    server.once('error', resolve)
    server.listen(socket, () => {
      server.removeListener('error', resolve)
      resolve(undefined)
    })
  })
}

/** Listens at `socket`; false when another daemon answers there. A socket nobody answers at is taken over. */
async function listen(server: Server, socket: string): Promise<boolean> {
  let error = await listenOnce(server, socket)
  if (error?.code === 'EADDRINUSE') {
    if ((await askDaemon(socket, 'status')) !== undefined) return false
    rmSync(socket, { force: true })
    error = await listenOnce(server, socket)
    // Another daemon took it over in between.
    if (error?.code === 'EADDRINUSE') return false
  }
  if (error) throw error
  return true
}

/** Makes process.env hold exactly `env`. */
function replaceEnv(env: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (env[key] === undefined) delete process.env[key]
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value
}

/**
 * Runs `work` in the program's directory, variables and umask: OKRA hands them to the command, but the
 * libraries it uses read some themselves (pg takes PGPASSWORD, PGSSLMODE, ... from process.env). Commands
 * run one at a time, so the process's own are theirs while they run, and the daemon's again after.
 */
async function asTheProgram<T>(request: Request, work: () => Promise<T>): Promise<T> {
  const env = { ...process.env }
  const umask = process.umask(request.umask)
  replaceEnv(request.env)
  try {
    try {
      process.chdir(request.cwd)
    } catch {
      // A directory removed since: the command, given the same path, reports what it cannot find.
    }
    return await work()
  } finally {
    replaceEnv(env)
    process.umask(umask)
    // Back to OKRA's folder (where the program started the daemon), so no project folder is kept busy.
    try {
      process.chdir(__dirname)
    } catch {
      // That folder is gone (OKRA reinstalled): the next command changes to its own anyway.
    }
  }
}

/**
 * Runs one command line for the program at the other end of `connection`; what the command deferred
 * (afterCommand: a cache to write) is done after the program has its answer.
 */
async function runRequest(run: RunCommandLine, connection: Socket, request: Request, input: Readable, stop: AbortSignal): Promise<void> {
  const stream = (kind: 'out' | 'err', isTTY: boolean) => ({
    write: (text: string) => send(connection, kind === 'out' ? { out: text } : { err: text }),
    isTTY,
  })
  const io = {
    cwd: request.cwd,
    env: request.env,
    stdout: stream('out', request.stdoutIsTTY),
    stderr: stream('err', request.stderrIsTTY),
    stdin: input,
    stdinIsTTY: request.stdinIsTTY,
  }
  await asTheProgram(request, async () => {
    const { result: code, runDeferred } = await deferringTasks(() =>
      cancellable(stop, async () => {
        try {
          return await run(request.argv, io)
        } catch (error) {
          // main reports every error itself; this is for a fault in OKRA, which must not end the daemon silently.
          send(connection, { err: `okra: ${error instanceof Error ? error.message : String(error)}\n` })
          return 1
        }
      }),
    )
    send(connection, { exit: code })
    connection.end()
    runDeferred()
  })
}

/**
 * Serves until idle for `idleMinutes`, asked to stop, or signalled; resolves false at once when another
 * daemon already serves at the socket.
 */
export async function serveDaemon(options: DaemonOptions): Promise<boolean> {
  const server = createServer()
  if (!(await listen(server, options.socket))) return false
  const ownSocket = statSync(options.socket).ino
  const startedAt = new Date().toISOString()
  let commands = 0
  let queue: Promise<void> = Promise.resolve()
  let waiting = 0
  let idle: NodeJS.Timeout | undefined
  let stopped: Promise<void> | undefined

  /** Stops taking commands, finishes the one running, closes the sessions kept for the next. */
  const stop = (): Promise<void> => {
    if (stopped) return stopped
    if (idle) clearTimeout(idle)
    server.close()
    // The socket goes only if it is still this daemon's (a newer one may have taken the path over).
    try {
      if (statSync(options.socket).ino === ownSocket) rmSync(options.socket, { force: true })
    } catch {
      // Already gone.
    }
    stopped = queue.then(() => closeKeptConnections())
    return stopped
  }
  const restartIdleClock = () => {
    if (idle) clearTimeout(idle)
    idle = waiting === 0 ? setTimeout(() => void stop(), options.idleMinutes * 60_000) : undefined
  }
  const status = (): Status => ({ pid: process.pid, node: process.version, cli: options.cliFile, startedAt, commands, idleMinutes: options.idleMinutes })

  server.on('connection', (connection) => {
    let ended = false
    let asked = false
    // The program's standard input, asked for only when the command reads it (a question).
    const input = new Readable({
      read() {
        if (!asked) send(connection, { wantInput: true })
        asked = true
      },
    })
    const endInput = () => {
      if (!ended) input.push(null)
      ended = true
    }
    // Ctrl-C at the program, or the program gone (killed, its terminal closed): its command stops as it
    // would in a process of its own (cancel.ts), and an unanswered question is left unanswered.
    const cancel = new AbortController()
    let queued = false
    const stopCommand = () => {
      cancel.abort()
      endInput()
      // One still waiting its turn is answered at once, and never run.
      if (queued) {
        queued = false
        send(connection, { err: 'okra: stopped by Ctrl-C before it started; nothing was done.\n' })
        send(connection, { exit: 130 })
        connection.end()
      }
    }
    connection.on('error', () => undefined)
    connection.on('close', stopCommand)
    onMessages(connection, (message) => {
      if ('run' in message) {
        waiting++
        queued = true
        restartIdleClock()
        queue = queue
          .then(() => {
            queued = false
            // A program that went away or was answered while its command waited has nothing run for it.
            if (cancel.signal.aborted || connection.destroyed) return
            commands++
            return runRequest(options.run, connection, message.run, input, cancel.signal)
          })
          // A fault here is OKRA's; the program reports a daemon that gave no exit code, and the next command runs.
          .catch(() => void connection.destroy())
          .finally(() => {
            waiting--
            restartIdleClock()
          })
      } else if ('in' in message) {
        if (!ended) input.push(message.in)
      } else if ('end' in message) endInput()
      else if ('cancel' in message) stopCommand()
      else if ('status' in message) {
        send(connection, { status: status() })
        connection.end()
      } else if ('stop' in message) {
        void stop().then(() => {
          send(connection, { stopped: process.pid })
          connection.end()
        })
      }
    })
  })
  process.once('SIGTERM', () => void stop())
  process.once('SIGINT', () => void stop())
  keepConnections(KEEP_CONNECTIONS_MS)
  restartIdleClock()
  // Beside the first commands, not before them: a round at a time (see warmUp).
  void warmUp().catch(() => undefined)
  await new Promise<void>((resolve) => server.once('close', resolve))
  await stop()
  return true
}
