/**
 * OKRA behind a pooler in transaction mode: a real PgBouncer (Debian's package; .ci/run installs it) in
 * front of the test server. There one server session serves several clients, so a session advisory lock
 * would be taken by two OKRA processes at once (it is re-entrant) and outlive both: OKRA refuses, saying
 * what to do, and a lock whose transaction lands on another server session writes nothing.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Driver, openDriver } from '../../src/dialects/index'
import { advisoryLockId } from '../../src/dialects/postgres/driver'
import { okraProcess } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir } from '../helpers/tmp'

const pgdb = await usePgDatabase()
const withServer = pgdb.serverOnly('a PgBouncer in front of the server', 'PgBouncer pools the sessions of a PostgreSQL server')

interface Bouncer {
  url: string
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}

/** PgBouncer in transaction mode with `poolSize` server sessions, in front of the test database. */
async function startPgBouncer(poolSize: number): Promise<Bouncer> {
  const binary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((path) => existsSync(path))
  if (!binary) throw new Error('PgBouncer is not installed: apt-get install pgbouncer (.ci/run installs it)')
  const server = new URL(pgdb.url)
  const dir = mkdtempSync(join(tmpdir(), 'okra-pgbouncer-'))
  const port = await freePort()
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432} user=${decodeURIComponent(server.username) || 'postgres'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  )
  // PgBouncer refuses to run as root: as root, it runs as the server's own user.
  const user = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : {}
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!)
  const child: ChildProcess = spawn(binary, [join(dir, 'pgbouncer.ini')], { ...user, stdio: 'ignore' })
  for (let i = 0; i < 200 && !(await answers(port)); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  const url = new URL(pgdb.url)
  url.port = String(port)
  return {
    url: url.toString(),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe.runIf(withServer)('behind a pooler in transaction mode', () => {
  const POOL_SIZE = 4
  let bouncer: Bouncer
  const opened: Driver[] = []
  beforeEach(async () => {
    bouncer = await startPgBouncer(POOL_SIZE)
  })
  // Stopping PgBouncer ends its server sessions, and the locks they kept after their clients left.
  afterEach(async () => {
    for (const driver of opened.splice(0)) await driver.close()
    await bouncer.stop()
  })
  const open = async (url: string) => {
    const driver = await openDriver(url)
    opened.push(driver)
    return driver
  }
  /** The server sessions holding OKRA's lock `key`, seen from a direct connection. */
  const serverSessionsHolding = async (key: string): Promise<number[]> => {
    const observer = new pg.Client({ connectionString: pgdb.url })
    await observer.connect()
    try {
      const { rows } = await observer.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [advisoryLockId(key)],
      )
      return rows.map((r) => r.pid)
    } finally {
      await observer.end()
    }
  }

  it("refuses OKRA's lock on a server session that another client's lock is on, and says what to do", async () => {
    const first = await open(bouncer.url)
    const second = await open(bouncer.url)
    const release = await first.lock('migrate', { timeoutMs: 1000 })
    // PgBouncer hands out the server session used last: the second lock's connection gets the first one's.
    const error = (await second.lock('migrate', { timeoutMs: 1000 }).catch((e: unknown) => e)) as Error & { hint?: string }
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toContain(`OKRA's lock "migrate" is already held by the server session its new connection got`)
    expect(error.message).toContain('pooler in transaction mode')
    expect(error.hint).toContain('Point the URL OKRA uses at the server itself, or at a pool in session mode')
    // Held once, by one server session: the refused lock was not taken on top of it.
    expect(await serverSessionsHolding('migrate')).toHaveLength(1)
    await release()
  })

  it("writes nothing when a transaction of OKRA's lock lands on another server session", async () => {
    const driver = await open(bouncer.url)
    await driver.lock('sync', { timeoutMs: 1000 })
    const [holder] = await serverSessionsHolding('sync')
    // Other clients keep server sessions busy in open transactions until the lock's one is among them,
    // leaving at least one free for the lock's transaction.
    const busy: pg.Client[] = []
    try {
      let taken = false
      for (let i = 0; i < POOL_SIZE - 1 && !taken; i++) {
        const client = new pg.Client({ connectionString: bouncer.url })
        await client.connect()
        busy.push(client)
        await client.query('BEGIN')
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
        taken = rows[0]!.pid === holder
      }
      expect(taken, "the lock's server session is busy with another client").toBe(true)
      const error = (await driver.transaction((tx) => tx.exec('CREATE TABLE written (id int)'), { holding: 'sync' }).catch((e: unknown) => e)) as Error
      expect(error).toBeInstanceOf(Error)
      expect(error.message).toMatch(/A transaction of OKRA's lock "sync" ran on server session \d+, not on \d+, which took the lock/)
      const direct = await open(pgdb.url)
      expect(await direct.tableExists('written')).toBe(false)
    } finally {
      for (const client of busy) await client.end()
    }
  })

  it('okra migrate:up through it: exit 1, the message and what to do, no stack trace', async () => {
    const dir = makeTempDir('okra-pooler-')
    writeFileSync(join(dir, 'models.okra.gql'), 'model Note {\n  id: ID! @default(uuid)\n  title: String!\n}\n')
    writeFileSync(join(dir, 'okra.config.json'), JSON.stringify({ database: { url: '${DATABASE_URL}' } }))
    expect(okraProcess(['db:migrate:snapshot', '--name', 'init', '--sync'], { cwd: dir, env: { DATABASE_URL: 'sqlite://./dev.db' } }).code).toBe(0)
    const holder = await open(bouncer.url)
    const release = await holder.lock('migrate', { timeoutMs: 1000 })
    const r = okraProcess(['migrate:up'], { cwd: dir, env: { DATABASE_URL: bouncer.url, OKRA_DAEMON: '0' } })
    await release()
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('pooler in transaction mode')
    expect(r.stderr).toContain('at a pool in session mode')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    const direct = await open(pgdb.url)
    expect(await direct.tableExists('notes')).toBe(false)
  })
})
