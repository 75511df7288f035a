/**
 * What the CLI knows about the terminal: colours (only on a TTY, never with NO_COLOR or TERM=dumb),
 * questions (only when stdin is a terminal: elsewhere a question is an error naming the flag that
 * answers it; CI and other variables play no part), and progress (a redrawn line on a terminal,
 * plain lines otherwise).
 */
import { createInterface } from 'node:readline/promises'
import { throwIfCancelled } from './cancel'
import { OkraError } from './errors'
import type { Paint } from './language/diagnostics'

export interface WritableLike {
  write(chunk: string): unknown
  isTTY?: boolean
}

export interface TerminalIO {
  stdout: WritableLike
  stderr: WritableLike
  stdin?: NodeJS.ReadableStream
  stdinIsTTY: boolean
  env: Record<string, string | undefined>
}

/** One output stream and the paint that suits it. */
export interface Channel {
  /** Writes the text and a newline. */
  line(text?: string): void
  readonly paint: Paint
  readonly isTTY: boolean
}

export interface Question {
  /** The flag (or flags) that answer the question without a terminal, e.g. `--force` or `--sync or --force`. */
  flag: string
  /** The accepted answers; the answer may also be given by number. Asked again until one fits. */
  choices?: string[]
}

export interface Progress {
  /** One more item done. */
  step(label: string): void
  /** Ends the progress display (a terminal line is cleared; plain output needs nothing). */
  done(): void
}

export interface Terminal {
  stdout: Channel
  stderr: Channel
  /** The answer, trimmed; with `choices`, one of them. Throws an OkraError naming `flag` when stdin is not a terminal. */
  ask(question: string, options: Question): Promise<string>
  /** A yes/no question: true for y or yes. */
  confirm(question: string, options: Omit<Question, 'choices'>): Promise<boolean>
  /** Progress over `total` items, on stderr. */
  progress(title: string, total: number): Progress
}

const ESC = '\u001b['

export function colorsEnabled(stream: WritableLike, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

export function createPaint(enabled: boolean): Paint {
  const style = (open: number, close: number) => (s: string) => (enabled ? `${ESC}${open}m${s}${ESC}${close}m` : s)
  return { red: style(31, 39), yellow: style(33, 39), cyan: style(36, 39), dim: style(2, 22), bold: style(1, 22) }
}

function channel(stream: WritableLike, env: Record<string, string | undefined>): Channel {
  return {
    line: (text = '') => void stream.write(text + '\n'),
    paint: createPaint(colorsEnabled(stream, env)),
    isTTY: stream.isTTY === true,
  }
}

export function createTerminal(io: TerminalIO): Terminal {
  const stdout = channel(io.stdout, io.env)
  const stderr = channel(io.stderr, io.env)

  const ask = async (question: string, { flag, choices }: Question): Promise<string> => {
    if (!io.stdinIsTTY) {
      throw new OkraError(`Cannot ask "${question}": stdin is not a terminal`, `Run it again with ${flag} to answer without a prompt.`)
    }
    const prompt = choices ? `${question}\n${choices.map((c, i) => `  ${i + 1}) ${c}`).join('\n')}\n> ` : `${question} `
    const rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false })
    // Reading through the iterator keeps lines that arrive before they are asked for.
    const lines = rl[Symbol.asyncIterator]()
    try {
      for (;;) {
        io.stderr.write(prompt)
        const next = await lines.next()
        if (next.done) {
          // Ctrl-C at the question ended the input of a command OKRA's daemon runs.
          throwIfCancelled()
          throw new OkraError(`No answer to "${question}": the input ended`, `Answer at the prompt, or run it again with ${flag}.`)
        }
        const answer = (next.value as string).trim()
        if (!choices) return answer
        const chosen = choices[Number(answer) - 1] ?? choices.find((c) => c.toLowerCase() === answer.toLowerCase())
        if (chosen !== undefined) return chosen
        stderr.line(`Please answer ${choices.map((_, i) => i + 1).join(', ')}.`)
      }
    } finally {
      rl.close()
    }
  }

  return {
    stdout,
    stderr,
    ask,
    confirm: async (question, options) => /^y(es)?$/i.test(await ask(`${question} [y/N]`, options)),
    progress: (title, total) => progress(io.stderr, title, total),
  }
}

function progress(stream: WritableLike, title: string, total: number): Progress {
  let count = 0
  const redraw = stream.isTTY === true
  return {
    step(label) {
      count++
      const text = `${title} [${count}/${total}] ${label}`
      stream.write(redraw ? `\r${ESC}2K${text}` : text + '\n')
    },
    done() {
      if (redraw && count > 0) stream.write(`\r${ESC}2K`)
    },
  }
}

/** `1 migration`, `2 migrations`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}
