/**
 * OKRA's daemon: a process that stays after a command and runs the next ones (`okra db:sync`,
 * `okra models:generate`, ... see address.ts) that the `okra` program hands it over a socket. A fresh Node
 * process runs OKRA's code cold, interpreted, and spends most of a short command starting; here the code is
 * loaded and compiled once and gets faster with use, while every command still reads its files, its
 * configuration and its database afresh, with the program's working directory, variables and umask
 * (asTheProgram).
 *
 * Commands run one after the other, as separate processes would take turns on their locks. The daemon ends
 * when idle (30 minutes; OKRA_DAEMON_IDLE_MINUTES), on `okra daemon:stop`, or on SIGTERM/SIGINT, removing
 * its socket; a program that finds only a socket left by a killed daemon runs the command itself.
 */
import { type Server, type Socket, createServer } from 'node:net'
import { rmSync, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { main } from '../cli'
import { askDaemon } from './client'
import { type Request, type Status, onMessages, send } from './protocol'

export const DEFAULT_IDLE_MINUTES = 30

export interface DaemonOptions {
  socket: string
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
  const cwd = process.cwd()
  const umask = process.umask(request.umask)
  replaceEnv(request.env)
  try {
    process.chdir(request.cwd)
    return await work()
  } finally {
    replaceEnv(env)
    process.chdir(cwd)
    process.umask(umask)
  }
}

/** Runs one command line for the program at the other end of `connection`. */
async function runRequest(connection: Socket, request: Request, input: Readable): Promise<void> {
  const stream = (kind: 'out' | 'err', isTTY: boolean) => ({
    write: (text: string) => send(connection, kind === 'out' ? { out: text } : { err: text }),
    isTTY,
  })
  let code: number
  try {
    code = await asTheProgram(request, () =>
      main(request.argv, {
        cwd: request.cwd,
        env: request.env,
        stdout: stream('out', request.stdoutIsTTY),
        stderr: stream('err', request.stderrIsTTY),
        stdin: input,
        stdinIsTTY: request.stdinIsTTY,
      }),
    )
  } catch (error) {
    // main reports every error itself; this is for a fault in OKRA, which must not end the daemon silently.
    send(connection, { err: `okra: ${error instanceof Error ? error.message : String(error)}\n` })
    code = 1
  }
  send(connection, { exit: code })
  connection.end()
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
  let finish: (() => void) | undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))

  const stop = () => {
    if (idle) clearTimeout(idle)
    server.close()
    // The socket goes only if it is still this daemon's (a newer one may have taken the path over).
    try {
      if (statSync(options.socket).ino === ownSocket) rmSync(options.socket, { force: true })
    } catch {
      // Already gone.
    }
    void queue.then(() => finish!())
  }
  const restartIdleClock = () => {
    if (idle) clearTimeout(idle)
    idle = waiting === 0 ? setTimeout(stop, options.idleMinutes * 60_000) : undefined
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
    connection.on('error', () => undefined)
    connection.on('close', endInput)
    onMessages(connection, (message) => {
      if ('run' in message) {
        waiting++
        restartIdleClock()
        queue = queue
          .then(() => (connection.destroyed ? undefined : runRequest(connection, message.run, input)))
          .finally(() => {
            commands++
            waiting--
            restartIdleClock()
          })
      } else if ('in' in message) {
        if (!ended) input.push(message.in)
      } else if ('end' in message) endInput()
      else if ('status' in message) {
        send(connection, { status: status() })
        connection.end()
      } else if ('stop' in message) {
        send(connection, { stopped: process.pid })
        connection.end()
        stop()
      }
    })
  })
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  restartIdleClock()
  await finished
  return true
}
