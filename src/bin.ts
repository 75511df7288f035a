/**
 * The `okra` program (dist/okra.cjs, the package's bin): answers `--version` at once; hands a dev-loop command
 * to OKRA's daemon when one runs (src/daemon); else loads the CLI (dist/cli.cjs) through V8's code cache and
 * runs it, and then starts the daemon when that is wanted. Kept to Node's built-in modules, so starting it
 * costs no more than starting Node.
 */
import { join } from 'node:path'
import { requireWithCodeCache } from './code-cache'
import { commandWord } from './command-line'
import { daemonSocket, daemonUse } from './daemon/address'
import { quietWhenClosed } from './quiet-stream'
import { asksForVersion, packageVersion } from './version'

async function program(argv: string[]): Promise<void> {
  const cliFile = join(__dirname, 'cli.cjs')
  const use = daemonUse(argv, process.env, process.stdout.isTTY === true)
  const socket = use === 'off' ? undefined : daemonSocket(cliFile)
  // A working directory removed under the shell: the CLI says so, as it always did.
  const cwd = socket ? workingDirectory() : undefined
  // Required only here: node:net and node:tty cost a command that no daemon runs (and --version) 5 to 8 ms.
  const daemon = socket && cwd ? (require('./daemon/client') as typeof import('./daemon/client')) : undefined
  if (daemon && socket && cwd) {
    const { isatty } = require('node:tty') as typeof import('node:tty')
    const request = {
      argv,
      cwd,
      env: process.env,
      umask: process.umask(),
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
      // isatty, as making process.stdin costs a millisecond: it is made only for a question.
      stdinIsTTY: isatty(0),
    }
    const io = { stdout: quietWhenClosed(process.stdout), stderr: quietWhenClosed(process.stderr), stdin: () => process.stdin }
    const exitCode = await daemon.runInDaemon(socket, request, io)
    if (exitCode !== undefined) {
      process.exitCode = exitCode
      return
    }
  }
  // The cache is kept per command, so it holds the code that command runs.
  const cli = requireWithCodeCache(cliFile, commandWord(argv) ?? 'okra', { trackPaths: true }) as typeof import('./cli')
  await cli.runProgram()
  if (daemon && use === 'start') daemon.spawnDaemon(__filename, process.env)
}

function workingDirectory(): string | undefined {
  try {
    return process.cwd()
  } catch {
    return undefined
  }
}

const argv = process.argv.slice(2)
if (asksForVersion(argv)) process.stdout.write(`${packageVersion()}\n`)
else void program(argv)
