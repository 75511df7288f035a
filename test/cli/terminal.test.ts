import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { OkraError } from '../../src/errors'
import { colorsEnabled, createTerminal } from '../../src/terminal'
import { ESCAPE, capture } from './capture'

function terminal(options: { stdinIsTTY?: boolean; isTTY?: boolean; env?: Record<string, string>; stdin?: PassThrough } = {}) {
  const stdout = capture(options.isTTY ?? false)
  const stderr = capture(options.isTTY ?? false)
  const term = createTerminal({ stdout, stderr, stdin: options.stdin, stdinIsTTY: options.stdinIsTTY ?? false, env: options.env ?? {} })
  return { term, stdout, stderr }
}

/** A stdin that will send these lines. */
function typed(...lines: string[]): PassThrough {
  const stdin = new PassThrough()
  stdin.end(lines.map((l) => l + '\n').join(''))
  return stdin
}

describe('ask', () => {
  it('without a terminal on stdin, fails naming the flag that answers the question', async () => {
    const { term } = terminal({ stdinIsTTY: false })
    const error = await term.ask('Snapshot although the database is not synced?', { flag: '--sync or --force', choices: ['sync first', 'snapshot anyway', 'cancel'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OkraError)
    expect((error as OkraError).message).toBe('Cannot ask "Snapshot although the database is not synced?": stdin is not a terminal')
    expect((error as OkraError).hint).toBe('Run it again with --sync or --force to answer without a prompt.')
  })

  it('CI and other variables do not matter: only the terminal decides', async () => {
    const { term } = terminal({ stdinIsTTY: true, stdin: typed('hello'), env: { CI: 'true' } })
    expect(await term.ask('Name?', { flag: '--name' })).toBe('hello')
    const { term: piped } = terminal({ stdinIsTTY: false, env: { CI: '' } })
    await expect(piped.ask('Name?', { flag: '--name' })).rejects.toThrow('stdin is not a terminal')
  })

  it('at a terminal, shows numbered choices and takes a number or the text, asking again otherwise', async () => {
    const { term, stderr } = terminal({ stdinIsTTY: true, stdin: typed('7', '2') })
    expect(await term.ask('What now?', { flag: '--force', choices: ['sync first', 'snapshot anyway', 'cancel'] })).toBe('snapshot anyway')
    expect(stderr.text).toContain('What now?\n  1) sync first\n  2) snapshot anyway\n  3) cancel\n> ')
    expect(stderr.text).toContain('Please answer 1, 2, 3.')
    const { term: byText } = terminal({ stdinIsTTY: true, stdin: typed('Cancel') })
    expect(await byText.ask('What now?', { flag: '--force', choices: ['sync first', 'cancel'] })).toBe('cancel')
  })

  it('confirm is true only for y or yes', async () => {
    for (const [answer, expected] of [['y', true], ['YES', true], ['', false], ['no', false]] as const) {
      const { term } = terminal({ stdinIsTTY: true, stdin: typed(answer) })
      expect(await term.confirm('Drop the column?', { flag: '--accept-data-loss' })).toBe(expected)
    }
  })

  it('the input ending without an answer is an error, not a wait forever', async () => {
    const stdin = new PassThrough()
    stdin.end()
    const { term } = terminal({ stdinIsTTY: true, stdin })
    await expect(term.ask('Name?', { flag: '--name' })).rejects.toThrow('No answer to "Name?": the input ended')
  })
})

describe('colours', () => {
  it('only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(colorsEnabled({ write: () => true, isTTY: true }, {})).toBe(true)
    expect(colorsEnabled({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorsEnabled({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(colorsEnabled({ write: () => true, isTTY: false }, {})).toBe(false)
    expect(colorsEnabled({ write: () => true }, {})).toBe(false)
  })

  it('paints with escape codes only when enabled', () => {
    expect(terminal({ isTTY: true }).term.stdout.paint.red('x')).toMatch(ESCAPE)
    expect(terminal({ isTTY: true, env: { NO_COLOR: '1' } }).term.stdout.paint.red('x')).toBe('x')
    expect(terminal({ isTTY: false }).term.stderr.paint.bold('x')).toBe('x')
  })
})

describe('progress', () => {
  it('prints plain lines when stderr is not a terminal', () => {
    const { term, stderr } = terminal({ isTTY: false })
    const progress = term.progress('Applying migrations', 2)
    progress.step('20240101_000000_init')
    progress.step('20240102_000000_add_phone')
    progress.done()
    expect(stderr.text).toBe('Applying migrations [1/2] 20240101_000000_init\nApplying migrations [2/2] 20240102_000000_add_phone\n')
  })

  it('redraws one line on a terminal and clears it when done', () => {
    const { term, stderr } = terminal({ isTTY: true })
    const progress = term.progress('Syncing', 2)
    progress.step('users')
    progress.step('posts')
    progress.done()
    expect(stderr.text).toBe('\r\u001b[2KSyncing [1/2] users\r\u001b[2KSyncing [2/2] posts\r\u001b[2K')
  })
})
