/** A command's one operand (`okra db:restore [NAME]`): taken once, refused on commands that have none. */
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../helpers/tmp'
import { okra } from './capture'

describe('operands', () => {
  it('db:restore takes one NAME, shows it in its help, and refuses a second word', async () => {
    const cwd = makeTempDir('okra-operand-')
    const help = await okra(['db:restore', '--help'], { cwd })
    expect(help.stdout).toMatch(/^Usage: okra db:restore \[NAME\] \[options\]\n/)
    expect(help.stdout).toContain('  NAME  the backup to restore, as db:backup --list names it (default: the newest)')
    const two = await okra(['db:restore', 'a', 'b', '--force'], { cwd })
    expect(two.code).toBe(64)
    expect(two.stderr).toContain("error: Unexpected argument 'b'")
  })

  it('a command without an operand refuses any word after it', async () => {
    const cwd = makeTempDir('okra-operand-')
    const r = await okra(['db:backup', 'now'], { cwd })
    expect(r.code).toBe(64)
    expect(r.stderr).toContain("error: Unexpected argument 'now'")
    expect((await okra(['db:backup', '--help'], { cwd })).stdout).toMatch(/^Usage: okra db:backup \[options\]\n/)
  })
})
