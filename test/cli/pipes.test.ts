/**
 * The built CLI in a shell pipeline whose reader stops early (`| head`): no EPIPE stack trace, the
 * command's own exit code, and a command that changes the database still finishes its work.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { CLI, okraProcess } from '../helpers/okra-process'
import { makeTempDir, writeFiles } from '../helpers/tmp'

/** Enough models that the output is far larger than a pipe's buffer. */
const MANY = Array.from({ length: 600 }, (_, i) => `model M${i} {\n  id: Int! @id\n  name: String!\n  note: String?\n}\n`).join('')

function pipeline(root: string, args: string): { status: number[]; stdout: string; stderr: string } {
  const script = `set -o pipefail; "${process.execPath}" "${CLI}" ${args} | head -n 2; echo "status $?" >&2`
  const r = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '' } })
  const status = /status (\d+)/.exec(r.stderr)
  return { status: status ? [Number(status[1])] : [], stdout: r.stdout, stderr: r.stderr }
}

describe('okra | head', () => {
  it('migrate:up --dry-run | head: two lines, no EPIPE, exit 0', () => {
    const root = makeTempDir('okra-pipe-')
    writeFiles(root, { 'models.okra.gql': MANY })
    expect(okraProcess(['db:migrate:snapshot', '--force'], { cwd: root }).code).toBe(0)
    const r = pipeline(root, 'migrate:up --dry-run')
    expect(r.stdout.split('\n')).toHaveLength(3)
    expect(r.stdout).toMatch(/^-- \d{8}_\d{6} \(SQL derived/)
    expect(r.stderr).not.toMatch(/EPIPE|node:events|at /)
    expect(r.status).toEqual([0])
  })

  it('migrate:up | head: the migration is still applied in full', async () => {
    const root = makeTempDir('okra-pipe-')
    writeFiles(root, { 'models.okra.gql': MANY })
    expect(okraProcess(['db:migrate:snapshot', '--force'], { cwd: root }).code).toBe(0)
    const r = pipeline(root, 'migrate:up --json')
    expect(r.stderr).not.toMatch(/EPIPE|node:events/)
    expect(r.status).toEqual([0])
    const driver = await openDriver(`sqlite://${join(root, 'dev.db')}`)
    try {
      expect((await driver.introspect()).tables).toHaveLength(600)
    } finally {
      await driver.close()
    }
  })
})
