/**
 * The `okra` program's side of the daemon: hands the command line to the daemon and shows what it writes,
 * as if the command ran here. Kept to Node's built-in modules (src/bin.ts runs it before loading the CLI).
 */
import { type Socket, connect } from 'node:net'
import { dirname } from 'node:path'
import { type Message, type Request, type Status, onMessages, send } from './protocol'

export interface ClientIO {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  /** Standard input, opened only when the command asks a question. */
  stdin(): NodeJS.ReadableStream & { destroy?(): unknown }
}

/** Connects, or resolves undefined when no daemon listens there (no socket, or one a killed daemon left). */
function connectTo(socket: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const connection = connect(socket)
    connection.once('connect', () => {
      connection.removeAllListeners('error')
      resolve(connection)
    })
    connection.once('error', () => resolve(undefined))
  })
}

/** Runs the command in the daemon at `socket`: its exit code, or undefined when no daemon is there. */
export async function runInDaemon(socket: string, request: Request, io: ClientIO): Promise<number | undefined> {
  const connection = await connectTo(socket)
  if (!connection) return undefined
  return new Promise((resolve) => {
    let input: ReturnType<ClientIO['stdin']> | undefined
    let exitCode: number | undefined
    // Ctrl-C stops the command in the daemon, which answers with what it did; a second one leaves at once.
    let interrupted = false
    const interrupt = () => {
      if (interrupted) process.exit(130)
      interrupted = true
      send(connection, { cancel: true })
    }
    process.on('SIGINT', interrupt)
    onMessages(connection, (message) => {
      if ('out' in message) io.stdout.write(message.out)
      else if ('err' in message) io.stderr.write(message.err)
      else if ('wantInput' in message && !input) {
        input = io.stdin()
        input.on('data', (chunk: Buffer | string) => send(connection, { in: chunk.toString() }))
        input.on('end', () => send(connection, { end: true }))
      } else if ('exit' in message) {
        exitCode = message.exit
        connection.end()
      }
    })
    connection.on('error', () => undefined)
    connection.on('close', () => {
      process.off('SIGINT', interrupt)
      input?.destroy?.()
      if (exitCode === undefined) {
        io.stderr.write(
          'okra: the OKRA daemon stopped before the command ended, so it may have done only part of its work.\n' +
            'Run the command again (a new daemon starts); OKRA_DAEMON=0 runs commands without one.\n',
        )
      }
      resolve(exitCode ?? 1)
    })
    send(connection, { run: request })
  })
}

/** One question to the daemon at `socket` (`status` or `stop`): its answer, or undefined when none listens. */
export async function askDaemon(socket: string, question: 'status' | 'stop'): Promise<Status | number | undefined> {
  const connection = await connectTo(socket)
  if (!connection) return undefined
  return new Promise((resolve) => {
    let answer: Status | number | undefined
    onMessages(connection, (message: Message) => {
      if ('status' in message && message.status !== true) answer = message.status
      else if ('stopped' in message) answer = message.stopped
      connection.end()
    })
    connection.on('error', () => undefined)
    connection.on('close', () => resolve(answer))
    send(connection, question === 'status' ? { status: true } : { stop: true })
  })
}

/**
 * Starts a daemon (`okra daemon:start --foreground`) apart from this process: in a session of its own, without
 * this process's terminal, in the program's folder (so it keeps no project folder busy). Its process id.
 */
export function spawnDaemon(program: string, env: Record<string, string | undefined>): number | undefined {
  // Required here, not at the top: every command would load child_process (~3 ms) to start a daemon once.
  const { spawn } = require('node:child_process') as typeof import('node:child_process')
  const child = spawn(process.execPath, [program, 'daemon:start', '--foreground'], { cwd: dirname(program), env, detached: true, stdio: 'ignore' })
  child.on('error', () => undefined)
  child.unref()
  return child.pid
}
