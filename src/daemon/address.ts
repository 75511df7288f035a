/**
 * Whether a command goes to OKRA's daemon (src/daemon/server.ts), and where that daemon listens. Kept to
 * Node's built-in modules: the `okra` program (src/bin.ts) decides this before it loads the CLI.
 */
import { join } from 'node:path'
import { fileIdentity, userFolder } from '../code-cache'
import { commandWord } from '../command-line'

/**
 * The commands the daemon runs: the dev loop's short ones, which change only the dev database or files.
 * `db:migrate:up` and the other commands that run against production, wait for locks or run for long
 * (`dev`, `db:sync --watch`) always run in a process of their own, where Ctrl-C stops them.
 */
const SERVED = new Set(['db:validate', 'models:generate', 'db:sync', 'db:diff', 'db:migrate:status', 'migrate:status'])

/** `off`: run here; `use`: in a running daemon, else here; `start`: as `use`, and start one for the next command. */
export type DaemonUse = 'off' | 'use' | 'start'

const ON = new Set(['1', 'true', 'on', 'yes'])
const OFF = new Set(['0', 'false', 'off', 'no'])

/**
 * OKRA_DAEMON=1 starts the daemon when none runs and =0 never uses one. Unset, a running daemon is used, and
 * one is started only for a person at a terminal (stdout is a TTY) outside CI: scripts, containers and CI
 * machines never find an OKRA process left behind by a command.
 */
export function daemonUse(argv: readonly string[], env: Record<string, string | undefined>, interactive: boolean): DaemonUse {
  const command = commandWord(argv)
  if (command === undefined || !SERVED.has(command)) return 'off'
  if (argv.some((arg) => arg === '--watch' || (arg.startsWith('--watch=') && arg !== '--watch=false'))) return 'off'
  const setting = env.OKRA_DAEMON?.trim().toLowerCase() ?? ''
  if (OFF.has(setting)) return 'off'
  if (ON.has(setting)) return 'start'
  const ci = env.CI !== undefined && !OFF.has(env.CI.toLowerCase())
  return interactive && !ci ? 'start' : 'use'
}

/** FNV-1a, 32 bits, in base 36: a short name for the socket (node:crypto would cost the command 3 ms). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

/**
 * The socket of the daemon of this writing of the CLI file, this Node and these Node settings: a reinstalled
 * or rebuilt OKRA, another Node, or other `NODE_OPTIONS` or extra CA certificates (which a daemon takes from
 * the program that starts it), has a daemon of its own and never talks to another (which ends when idle). In
 * this user's private folder, so no other user can connect. Undefined where there is no such folder or the
 * path would be too long for a socket (104 bytes on macOS), and on Windows.
 */
export function daemonSocket(cliFile: string, env: Record<string, string | undefined> = process.env): string | undefined {
  // Windows has named pipes, not socket files in a folder only their user can enter.
  if (process.platform === 'win32') return undefined
  const dir = userFolder()
  if (!dir) return undefined
  const node = [process.version, process.arch, env.NODE_OPTIONS ?? '', env.NODE_EXTRA_CA_CERTS ?? ''].join('\0')
  const socket = join(dir, `daemon-${shortHash(`${fileIdentity(cliFile)} ${node}`)}.sock`)
  return Buffer.byteLength(socket) < 100 ? socket : undefined
}
