/** The daemon's parts that need no process: which commands go to it, its socket's name, the line framing, the warm-up. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { daemonSocket, daemonUse } from '../../src/daemon/address'
import { warmUp } from '../../src/daemon/warm-up'
import { afterCommand, deferringTasks } from '../../src/after-command'
import { type Message, onMessages } from '../../src/daemon/protocol'
import { useTempDir } from '../helpers/tmp'

describe('daemonUse', () => {
  it('serves only the dev loop commands', () => {
    for (const command of ['db:validate', 'models:generate', 'db:sync', 'db:diff', 'db:migrate:status', 'migrate:status']) {
      expect(daemonUse([command], { OKRA_DAEMON: '1' }, false)).toBe('start')
      expect(daemonUse(['--cwd', 'app', command, '--json'], { OKRA_DAEMON: '1' }, false)).toBe('start')
    }
    for (const command of ['db:migrate:up', 'migrate:up', 'db:reset', 'db:restore', 'dev', 'init', 'daemon:start', 'db:migrate:snapshot']) {
      expect(daemonUse([command], { OKRA_DAEMON: '1' }, true)).toBe('off')
    }
    expect(daemonUse([], { OKRA_DAEMON: '1' }, true)).toBe('off')
    // Watching runs until Ctrl-C: in a process of its own.
    expect(daemonUse(['db:sync', '--watch'], { OKRA_DAEMON: '1' }, true)).toBe('off')
    expect(daemonUse(['db:sync', '--watch=true'], { OKRA_DAEMON: '1' }, true)).toBe('off')
    expect(daemonUse(['db:sync', '--watch=false'], { OKRA_DAEMON: '1' }, true)).toBe('start')
  })

  it('starts one for a person at a terminal outside CI, uses a running one elsewhere, and none with OKRA_DAEMON=0', () => {
    expect(daemonUse(['db:sync'], {}, true)).toBe('start')
    expect(daemonUse(['db:sync'], {}, false)).toBe('use')
    expect(daemonUse(['db:sync'], { CI: 'true' }, true)).toBe('use')
    expect(daemonUse(['db:sync'], { CI: 'false' }, true)).toBe('start')
    expect(daemonUse(['db:sync'], { CI: '1', OKRA_DAEMON: 'true' }, false)).toBe('start')
    for (const off of ['0', 'false', 'OFF', ' no ']) expect(daemonUse(['db:sync'], { OKRA_DAEMON: off }, true)).toBe('off')
    // A value it does not know leaves the default.
    expect(daemonUse(['db:sync'], { OKRA_DAEMON: 'maybe' }, false)).toBe('use')
  })
})

describe('daemonSocket', () => {
  const dir = useTempDir('okra-daemon-socket-')

  it('is a short path of its own for each writing of the CLI file', () => {
    const cli = join(dir.path, 'cli.cjs')
    writeFileSync(cli, 'one')
    const first = daemonSocket(cli)!
    expect(first).toMatch(/[/\\]daemon-[0-9a-z]+\.sock$/)
    expect(Buffer.byteLength(first)).toBeLessThan(100)
    expect(daemonSocket(cli)).toBe(first)
    // Rewritten with the same length (a reinstall or a rebuild): another daemon.
    writeFileSync(cli, 'two')
    const second = daemonSocket(cli, {})!
    expect(second).not.toBe(first)
    // Other Node settings, which a daemon takes from the program starting it: another daemon.
    expect(daemonSocket(cli, { NODE_OPTIONS: '--max-old-space-size=4096' })).not.toBe(second)
    expect(daemonSocket(cli, { NODE_EXTRA_CA_CERTS: '/etc/ssl/company.pem' })).not.toBe(second)
    expect(daemonSocket(cli, { PATH: '/usr/bin' })).toBe(second)
  })
})

describe('onMessages', () => {
  it('reads one message per line, whatever the chunks', () => {
    const stream = new PassThrough()
    const seen: Message[] = []
    onMessages(stream as unknown as Socket, (message) => seen.push(message))
    const text = `${JSON.stringify({ out: 'a\nb ✓' })}\n${JSON.stringify({ exit: 3 })}\n`
    for (const chunk of [text.slice(0, 5), text.slice(5, 17), text.slice(17)]) stream.write(chunk)
    expect(seen).toEqual([{ out: 'a\nb ✓' }, { exit: 3 }])
  })
})

describe('warmUp', () => {
  it('runs every round on a schema that compiles, with a change to diff', async () => {
    const start = performance.now()
    expect(await warmUp()).toEqual({ rounds: 12, changes: 10 })
    console.log(`warm-up took ${(performance.now() - start).toFixed(0)} ms here`)
  })
})

describe('afterCommand', () => {
  it('runs a task at once, or after the answer when the daemon defers them', async () => {
    const done: string[] = []
    afterCommand(() => done.push('at once'))
    expect(done).toEqual(['at once'])
    const { result, runDeferred } = await deferringTasks(async () => {
      afterCommand(() => done.push('deferred'))
      return 'answer'
    })
    expect(result).toBe('answer')
    expect(done).toEqual(['at once'])
    runDeferred()
    expect(done).toEqual(['at once', 'deferred'])
    // Outside deferringTasks again: at once.
    afterCommand(() => done.push('again'))
    expect(done).toEqual(['at once', 'deferred', 'again'])
  })
})
