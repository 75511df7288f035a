/** The migration commands as the CLI shows them: names and aliases, help, flags, progress on a terminal. */
import { describe, expect, it } from 'vitest'
import { okra } from '../cli/capture'
import { STEPS, makeProject } from './project'

describe('the migration commands in the CLI', () => {
  it('are listed with their migrate:* aliases, and answer to them', async () => {
    const p = makeProject()
    const help = await okra(['--help'], { cwd: p.root })
    for (const name of ['snapshot', 'up', 'down', 'status', 'resolve']) expect(help.stdout).toMatch(new RegExp(`^ {2}db:migrate:${name}, migrate:${name}(?:, [a-z:]+)* +\\S`, 'm'))
    const up = await okra(['migrate:up', '--help'], { cwd: p.root })
    expect(up.stdout.split('\n')[0]).toBe('Usage: okra db:migrate:up [options]  (also: migrate:up)')
    expect(up.stdout).toMatch(/--lock-timeout S +seconds to wait/)
  })

  it('reject bad --steps and --lock-timeout values as bad usage', async () => {
    const p = makeProject()
    expect((await okra(['migrate:up', '--steps', '0'], { cwd: p.root })).code).toBe(64)
    expect((await okra(['migrate:down', '--steps', '1.5'], { cwd: p.root })).code).toBe(64)
    expect((await okra(['migrate:up', '--lock-timeout', '-1'], { cwd: p.root })).code).toBe(64)
    expect((await okra(['migrate:up', '--lock-timeout'], { cwd: p.root })).code).toBe(64)
  })

  it('show progress redrawn on one line at a terminal, and keep a backup of the SQLite file', async () => {
    const p = makeProject()
    for (const step of STEPS.slice(0, 3)) {
      p.schema(step.schema)
      await p.snapshot(step.name)
    }
    const run = await okra(['migrate:up'], { cwd: p.root, tty: true })
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^\r\u001b\[2KApplied \[1\/3\] \S+ \(\d+ ms\)\r\u001b\[2KApplied \[2\/3\]/)
    expect(run.stderr).not.toContain('\n')
    expect(run.stdout).toMatch(/Backup of the database before applying: (\w+-\d{8}-\d{6}-\d{3}) \(.*\.okra\/backups\/\1\.db; okra db:restore \1 brings it back\)/)
    expect(run.stdout).toMatch(/Applied 3 migrations to sqlite:\/\/.*dev\.db in \d+ ms\./)
  })
})
