/**
 * What the `okra` program and the daemon say over the socket: one JSON object per line.
 *
 * program -> daemon: `{ run: Request }`, `{ status: true }` or `{ stop: true }` first; during a run, the
 *   program's standard input once the command reads it (`{ in: text }`, then `{ end: true }`), and
 *   `{ cancel: true }` at Ctrl-C.
 * daemon -> program: `{ out: text }`, `{ err: text }`, `{ wantInput: true }` (a question is asked), and last
 *   `{ exit: code }`; or one `{ status: Status }`.
 */
import type { Socket } from 'node:net'

/** A command line as the program was started: the daemon runs it with the program's directory and variables. */
export interface Request {
  argv: string[]
  cwd: string
  env: Record<string, string | undefined>
  umask: number
  stdoutIsTTY: boolean
  stderrIsTTY: boolean
  stdinIsTTY: boolean
}

export interface Status {
  pid: number
  node: string
  cli: string
  startedAt: string
  commands: number
  idleMinutes: number
}

export type Message =
  | { run: Request }
  | { status: true | Status }
  | { stop: true }
  | { in: string }
  | { end: true }
  | { cancel: true }
  | { out: string }
  | { err: string }
  | { wantInput: true }
  | { exit: number }
  | { stopped: number }

export function send(socket: Socket, message: Message): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`)
}

/** Calls `receive` with each message the socket brings (JSON strings never hold a raw newline). */
export function onMessages(socket: Socket, receive: (message: Message) => void): void {
  let pending = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    pending += chunk
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end)
      pending = pending.slice(end + 1)
      let message: Message
      try {
        message = JSON.parse(line) as Message
      } catch {
        socket.destroy()
        return
      }
      receive(message)
    }
  })
}
