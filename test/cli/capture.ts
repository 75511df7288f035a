/** Output streams that keep what is written, for driving the CLI and the terminal in tests. */
import { main } from '../../src/cli'

export interface Capture {
  write(chunk: string): boolean
  readonly isTTY: boolean
  text: string
}

export function capture(isTTY = false): Capture {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk
      return true
    },
  }
}

export interface RunOptions {
  cwd: string
  env?: Record<string, string | undefined>
  /** stdout and stderr claim to be terminals. */
  tty?: boolean
}

/** Runs `okra ...argv` through main() and returns the exit code and both outputs. */
export async function okra(argv: string[], { cwd, env = {}, tty = false }: RunOptions) {
  const stdout = capture(tty)
  const stderr = capture(tty)
  const code = await main(argv, { cwd, env, stdout, stderr, stdinIsTTY: false })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

export const ESCAPE = /\u001b\[/
