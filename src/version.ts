/**
 * `okra --version`: the rule for when a command line asks for it, and the version itself. The `okra`
 * program (src/bin.ts) answers it before loading the CLI, so the answer costs no more than starting Node.
 */
import { readFileSync } from 'node:fs'

/** `--version` or `-v` anywhere on the command line: the version is printed and nothing else runs. */
export function asksForVersion(argv: readonly string[]): boolean {
  return argv.includes('--version') || argv.includes('-v')
}

/** The version in the package's package.json, one level above dist/ (and src/). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
