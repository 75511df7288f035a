/**
 * The `okra` program (dist/okra.cjs, the package's bin): answers `--version` at once, else loads the CLI
 * (dist/cli.cjs) through V8's code cache and runs it. Kept to Node's built-in modules, so starting it costs
 * no more than starting Node.
 */
import { join } from 'node:path'
import { requireWithCodeCache } from './code-cache'
import { commandWord } from './command-line'
import { asksForVersion, packageVersion } from './version'

const argv = process.argv.slice(2)
if (asksForVersion(argv)) {
  process.stdout.write(`${packageVersion()}\n`)
} else {
  // The cache is kept per command, so it holds the code that command runs.
  const command = commandWord(argv) ?? 'okra'
  const cli = requireWithCodeCache(join(__dirname, 'cli.cjs'), command, { trackPaths: true }) as typeof import('./cli')
  void cli.runProgram()
}
