/**
 * OKRA's daemon as users meet it: whole `okra` processes (the built program) handing commands to a real
 * daemon process, which each test file starts in a temporary folder of its own (TMPDIR), so neither a
 * developer's daemon nor another test's is ever met. Questions go through a real terminal (`script`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { CLI, type ProcessResult, okraProcess, okraProcessAsync } from '../helpers/okra-process'
import { usePgDatabase } from '../helpers/pg'
import { makeTempDir } from '../helpers/tmp'

const pgdb = await usePgDatabase()

const temp = mkdtempSync(join(tmpdir(), 'okra-daemon-tmp-'))
const on = { OKRA_DAEMON: '1', TMPDIR: temp }
const folder = join(temp, `okra-${process.getuid?.() ?? 'user'}`)

interface DaemonStatus {
  pid: number
  commands: number
  thisOkra: boolean
}

function daemons(): DaemonStatus[] {
  const r = okraProcess(['daemon:status', '--json'], { cwd: temp, env: on })
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { daemons: DaemonStatus[] }).daemons
}

function startDaemon(env: Record<string, string> = {}): DaemonStatus {
  const r = okraProcess(['daemon:start', '--json'], { cwd: temp, env: { ...on, ...env } })
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { daemon: DaemonStatus }).daemon
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(what: string, test: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 25))) if (test()) return
  throw new Error(`timed out waiting for ${what}`)
}

afterEach(() => {
  okraProcess(['daemon:stop'], { cwd: temp, env: on })
})
afterAll(() => rmSync(temp, { recursive: true, force: true }))

const SCHEMA = 'model Note {\n  id: ID! @default(uuid)\n  title: String!\n}\n'

function project(schema = SCHEMA): string {
  const dir = makeTempDir('okra-daemon-project-')
  writeFileSync(join(dir, 'models.okra.gql'), schema)
  writeFileSync(join(dir, 'okra.config.json'), JSON.stringify({ database: { url: '${DATABASE_URL}' }, generate: { typescript: { out: './gen/models.ts' } } }))
  return dir
}

function columns(file: string, table: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name)
  } finally {
    db.close()
  }
}

describe('the okra daemon', () => {
  it("runs the dev loop's commands with each program's directory, variables and exit code", () => {
    const started = startDaemon()
    expect(daemons()).toMatchObject([{ pid: started.pid, commands: 0, thisOkra: true }])
    const a = project()
    const b = project()
    expect(okraProcess(['db:sync'], { cwd: a, env: { ...on, DATABASE_URL: 'sqlite://./first.db' } })).toMatchObject({ code: 0 })
    expect(okraProcess(['db:sync'], { cwd: b, env: { ...on, DATABASE_URL: 'sqlite://./second.db' } })).toMatchObject({ code: 0 })
    expect(columns(join(a, 'first.db'), 'notes')).toEqual(['id', 'title'])
    expect(columns(join(b, 'second.db'), 'notes')).toEqual(['id', 'title'])
    expect(existsSync(join(a, 'second.db')) || existsSync(join(b, 'first.db'))).toBe(false)
    expect(readFileSync(join(a, 'gen/models.ts'), 'utf8')).toContain('export interface Note')
    // Written after the answer (after-command.ts), before the next command.
    expect(existsSync(join(a, '.okra/cache/schema.json'))).toBe(true)

    // An error: what, where and the exit code, as without the daemon, and no stack trace.
    writeFileSync(join(a, 'models.okra.gql'), 'model Note {\n  id: ID! @default(uuid)\n  title: Strin!\n}\n')
    const failed = okraProcess(['db:validate'], { cwd: a, env: { ...on, DATABASE_URL: 'sqlite://./first.db' } })
    expect(failed.code).toBe(1)
    expect(failed.stdout).not.toContain('model')
    expect(failed.stderr).toMatch(/^models\.okra\.gql:3:10: error: Unknown type 'Strin'/)
    expect(failed.stderr).not.toMatch(/\n\s+at /)
    // A usage error keeps its own exit code.
    expect(okraProcess(['db:diff', '--nope'], { cwd: a, env: on }).code).toBe(64)
    // All of it ran in the one daemon.
    expect(daemons()).toMatchObject([{ pid: started.pid, commands: 4 }])
  })

  it.runIf(pgdb.serverOnly('a database named only by PGDATABASE', 'the embedded PGlite server has one database, whatever the name asked for'))(
    "gives the libraries each program's own variables: pg's PGDATABASE is read per command",
    async () => {
      startDaemon()
      const dir = project()
      const url = new URL(pgdb.url)
      const database = url.pathname.slice(1)
      url.pathname = ''
      const env = { ...on, DATABASE_URL: url.toString() }
      expect(okraProcess(['db:sync'], { cwd: dir, env: { ...env, PGDATABASE: database } })).toMatchObject({ code: 0 })
      const other = okraProcess(['db:sync'], { cwd: dir, env: { ...env, PGDATABASE: 'okra_no_such_database' } })
      expect(other.code).toBe(1)
      expect(other.stderr).toContain('database "okra_no_such_database" does not exist')
      expect(daemons()[0].commands).toBe(2)
      await pgdb.reset()
    },
  )

  it.runIf(pgdb.serverOnly('sessions of the daemon seen from another session'))(
    "keeps a PostgreSQL session for the next command, and replaces one the server ended",
    async () => {
      startDaemon()
      const dir = project()
      const env = { ...on, DATABASE_URL: pgdb.url }
      const observer = new pg.Client({ connectionString: pgdb.url })
      await observer.connect()
      const sessions = async () =>
        (await observer.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'okra' ORDER BY pid")).rows.map((r) => r.pid)
      try {
        expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
        const kept = await sessions()
        expect(kept.length).toBeGreaterThan(0)
        writeFileSync(join(dir, 'models.okra.gql'), SCHEMA.replace('title: String!', 'title: String!\n  body: String?'))
        expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
        expect(await sessions()).toEqual(kept)
        // The server ends them (a restart, an idle timeout): the next command opens new ones.
        await observer.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [kept])
        writeFileSync(join(dir, 'models.okra.gql'), SCHEMA.replace('title: String!', 'title: String!\n  body: String?\n  tags: String?'))
        const after = okraProcess(['db:sync'], { cwd: dir, env })
        expect(after.code, after.stderr).toBe(0)
        const columns = await observer.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' ORDER BY ordinal_position")
        expect(columns.rows.map((r) => r.column_name)).toEqual(['id', 'title', 'body', 'tags'])
        const renewed = await sessions()
        expect(renewed.length).toBeGreaterThan(0)
        expect(renewed.some((pid) => kept.includes(pid))).toBe(false)
        // Stopping the daemon closes them.
        okraProcess(['daemon:stop'], { cwd: temp, env: on })
        for (let i = 0; i < 100 && (await sessions()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
        expect(await sessions()).toEqual([])
      } finally {
        await observer.end()
        await pgdb.reset()
      }
    },
  )

  it('never shows a password, whatever its characters, in what it sends the program', () => {
    startDaemon()
    const dir = project()
    const password = "p@ss w:rd/'\"é%41"
    const url = `postgres://okra:${encodeURIComponent(password)}@127.0.0.1:1/nowhere`
    const r = okraProcess(['db:sync'], { cwd: dir, env: { ...on, DATABASE_URL: url } })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Cannot connect to PostgreSQL at postgres://okra:***@127.0.0.1:1/nowhere')
    for (const form of [password, encodeURIComponent(password), 'p@ss']) expect(r.stdout + r.stderr).not.toContain(form)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(daemons()[0].commands).toBe(1)
  })

  it('asks its questions at the terminal of the program, and reads the answer there', async () => {
    startDaemon()
    const dir = project()
    const env = { ...on, DATABASE_URL: 'sqlite://./dev.db' }
    expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
    const db = new Database(join(dir, 'dev.db'))
    db.prepare("INSERT INTO notes (id, title) VALUES ('n1', 'kept')").run()
    db.close()
    writeFileSync(join(dir, 'models.okra.gql'), SCHEMA.replace('title', 'heading'))
    // `script` gives the program a terminal: the rename question is asked, and answered "1" (rename).
    const r = await inTerminal(['db:sync'], dir, env, '1\n')
    expect(r.stdout).toContain("Column 'title' of table 'notes' is gone and 'heading' is new")
    expect(r.code, r.stdout).toBe(0)
    const after = new Database(join(dir, 'dev.db'), { readonly: true })
    expect(after.prepare('SELECT heading FROM notes').all()).toEqual([{ heading: 'kept' }])
    after.close()
    expect(daemons()[0].commands).toBe(2)
  })

  it('is started by the program for the next command, and a killed one leaves no trace but its socket, which the next one takes', async () => {
    const dir = project()
    const env = { ...on, DATABASE_URL: 'sqlite://./dev.db' }
    expect(daemons()).toEqual([])
    // No daemon yet: the program runs the command itself, then starts one.
    expect(okraProcess(['models:generate'], { cwd: dir, env }).code).toBe(0)
    await until('the daemon to answer', () => daemons().length === 1)
    const first = daemons()[0]
    expect(first.commands).toBe(0)
    process.kill(first.pid, 'SIGKILL')
    await until('the daemon to end', () => !alive(first.pid))
    expect(readdirSync(folder).filter((f) => f.endsWith('.sock'))).toHaveLength(1)
    // The socket is left; the command runs all the same, and a new daemon takes the socket over.
    expect(okraProcess(['db:sync'], { cwd: dir, env })).toMatchObject({ code: 0 })
    expect(columns(join(dir, 'dev.db'), 'notes')).toEqual(['id', 'title'])
    await until('a new daemon to answer', () => daemons().length === 1)
    expect(daemons()[0].pid).not.toBe(first.pid)
  })

  /** A daemon, and a program whose `db:sync` it runs waiting at the question whether `title` was renamed. */
  async function atTheRenameQuestion() {
    const started = startDaemon()
    const dir = project()
    const env = { ...on, DATABASE_URL: 'sqlite://./dev.db' }
    expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
    writeFileSync(join(dir, 'models.okra.gql'), SCHEMA.replace('title', 'heading'))
    const running = inTerminal(['db:sync'], dir, env)
    await until('the question', () => running.output().includes('was it renamed'))
    return { started, dir, env, running }
  }

  it('tells the program when it dies during a command, and that command changed nothing', async () => {
    const { started, dir, running } = await atTheRenameQuestion()
    process.kill(started.pid, 'SIGKILL')
    const r = await running
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('the OKRA daemon stopped before the command ended')
    expect(columns(join(dir, 'dev.db'), 'notes')).toEqual(['id', 'title'])
  })

  it('stops the command at Ctrl-C: at the question, and one waiting its turn before it starts; the daemon serves on', async () => {
    const { started, dir, env, running: asking } = await atTheRenameQuestion()
    // A second program's command waits behind the question; Ctrl-C there ends it before it starts.
    const other = project(SCHEMA.replace('title', 'body'))
    const waiting = inTerminal(['db:sync'], other, env)
    // Time for the program to start and hand its command over (50 to 100 ms here); Ctrl-C before that would
    // end a program that has no daemon to tell yet.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    waiting.type('\x03')
    const left = await waiting
    expect(left.code).toBe(130)
    expect(left.stdout).toContain('stopped by Ctrl-C before it started; nothing was done')
    expect(existsSync(join(other, 'dev.db'))).toBe(false)
    // Ctrl-C at the question: stopped, nothing changed, the daemon serves on.
    asking.type('\x03')
    const r = await asking
    expect(r.code).toBe(130)
    expect(r.stdout).toContain('Stopped by Ctrl-C: what the command had not committed to the database was rolled back')
    expect(r.stdout).not.toMatch(/\n\s+at /)
    expect(columns(join(dir, 'dev.db'), 'notes')).toEqual(['id', 'title'])
    expect(okraProcess(['db:sync', '--accept-data-loss'], { cwd: dir, env }).code).toBe(0)
    expect(columns(join(dir, 'dev.db'), 'notes')).toEqual(['id', 'heading'])
    expect(daemons()).toMatchObject([{ pid: started.pid, commands: 3 }])
  })

  it.runIf(pgdb.serverOnly('a session blocking the command while another watches'))(
    'stops a PostgreSQL statement under way at Ctrl-C, on the server too, and rolls its transaction back',
    async () => {
      const started = startDaemon()
      const dir = project()
      const env = { ...on, DATABASE_URL: pgdb.url }
      expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
      const blocker = new pg.Client({ connectionString: pgdb.url })
      const observer = new pg.Client({ connectionString: pgdb.url })
      await blocker.connect()
      await observer.connect()
      const waiting = async () =>
        (await observer.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'okra' AND wait_event_type = 'Lock'")).rows.length
      try {
        // A session reading the table keeps the ALTER TABLE waiting (it would wait 60 s for it).
        await blocker.query('BEGIN; SELECT * FROM notes')
        writeFileSync(join(dir, 'models.okra.gql'), SCHEMA.replace('title: String!', 'title: String!\n  body: String?'))
        const running = inTerminal(['db:sync', '--lock-wait', '60'], dir, env)
        for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25))
        expect(await waiting()).toBe(1)
        running.type('\x03')
        // Ended by the cancel, not by the lock wait running out.
        const r = await Promise.race([running, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000))])
        if (!r) throw new Error('Ctrl-C did not stop the waiting statement')
        expect(r.code).toBe(130)
        expect(r.stdout).toContain('Stopped by Ctrl-C')
        // Nothing waits on the server any more, and once the reader is done the column is still not there.
        expect(await waiting()).toBe(0)
        await blocker.query('COMMIT')
        await new Promise((resolve) => setTimeout(resolve, 200))
        const columnsNow = async () =>
          (await observer.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'notes' ORDER BY ordinal_position")).rows.map((c) => c.column_name)
        expect(await columnsNow()).toEqual(['id', 'title'])
        // The same daemon runs the next command, which adds it.
        expect(okraProcess(['db:sync'], { cwd: dir, env }).code).toBe(0)
        expect(await columnsNow()).toEqual(['id', 'title', 'body'])
        expect(daemons()).toMatchObject([{ pid: started.pid, commands: 3 }])
      } finally {
        await blocker.end()
        await observer.end()
        okraProcess(['daemon:stop'], { cwd: temp, env: on })
        await pgdb.reset()
      }
    },
  )

  it('runs two programs at once one after the other, each with its own result', async () => {
    startDaemon()
    const dirs = [project(), project(SCHEMA.replace('title', 'body'))]
    const results = await Promise.all(dirs.map((cwd) => okraProcessAsync(['db:sync'], { cwd, env: { ...on, DATABASE_URL: 'sqlite://./dev.db' } })))
    expect(results.map((r: ProcessResult) => r.code)).toEqual([0, 0])
    expect(columns(join(dirs[0], 'dev.db'), 'notes')).toEqual(['id', 'title'])
    expect(columns(join(dirs[1], 'dev.db'), 'notes')).toEqual(['id', 'body'])
    expect(daemons()[0].commands).toBe(2)
  })

  it('is left alone by OKRA_DAEMON=0 and by the commands it does not run; scripts never start one', async () => {
    const dir = project()
    const env = { TMPDIR: temp, DATABASE_URL: 'sqlite://./dev.db' }
    // No terminal and OKRA_DAEMON unset: the command runs, no daemon starts.
    expect(okraProcess(['db:sync'], { cwd: dir, env: { ...env, OKRA_DAEMON: undefined } }).code).toBe(0)
    // A daemon the program had started would answer well within this (it takes 0.2 to 0.5 s here).
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(daemons()).toEqual([])
    startDaemon()
    expect(okraProcess(['models:generate'], { cwd: dir, env: { ...env, OKRA_DAEMON: '0' } }).code).toBe(0)
    expect(okraProcess(['db:migrate:snapshot', '--name', 'base'], { cwd: dir, env: { ...env, ...on } }).code).toBe(0)
    expect(okraProcess(['migrate:up'], { cwd: dir, env: { ...on, DATABASE_URL: 'sqlite://./other.db' } }).code).toBe(0)
    expect(daemons()[0].commands).toBe(0)
    // Unset, a running daemon is used.
    expect(okraProcess(['db:diff'], { cwd: dir, env: { ...env, OKRA_DAEMON: undefined } }).code).toBe(0)
    expect(daemons()[0].commands).toBe(1)
  })

  it('ends when idle and on daemon:stop, removing its socket', async () => {
    const idle = startDaemon({ OKRA_DAEMON_IDLE_MINUTES: '0.005' })
    await until('the idle daemon to end', () => !alive(idle.pid))
    expect(readdirSync(folder).filter((f) => f.endsWith('.sock'))).toEqual([])
    const started = startDaemon()
    expect(startDaemon().pid).toBe(started.pid)
    expect(okraProcess(['daemon:stop'], { cwd: temp, env: on })).toMatchObject({ code: 0, stdout: `✓ Stopped the OKRA daemon (pid ${started.pid})\n` })
    await until('the stopped daemon to end', () => !alive(started.pid))
    expect(readdirSync(folder).filter((f) => f.endsWith('.sock'))).toEqual([])
    expect(okraProcess(['daemon:status'], { cwd: temp, env: on }).stdout).toBe('No OKRA daemon is running.\n')
    expect(okraProcess(['daemon:start'], { cwd: temp, env: { ...on, OKRA_DAEMON_IDLE_MINUTES: 'soon' } })).toMatchObject({ code: 1 })
  })
})

/**
 * `okra args` with a terminal (util-linux `script`) for stdin and stdout, `input` typed into it at the first
 * prompt. The promise has `output()`, what the terminal showed so far (its result's stdout is all of it),
 * and `type(text)`, keys typed now: "\x03" is Ctrl-C, which the terminal turns into SIGINT for the program.
 */
function inTerminal(args: string[], cwd: string, env: Record<string, string>, input?: string): Promise<ProcessResult> & { output(): string; type(text: string): void } {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  const child: ChildProcess = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (input !== undefined && /> $/.test(stdout)) {
      child.stdin!.write(input)
      input = undefined
    }
  })
  const done = new Promise<ProcessResult>((resolve) => child.on('close', (code) => resolve({ code, stdout: stdout.replaceAll('\r\n', '\n'), stderr: '' })))
  return Object.assign(done, { output: () => stdout, type: (text: string) => void child.stdin!.write(text) })
}

// The daemon's folder is made by the first command; make it now so the socket listings above always have one.
mkdirSync(folder, { recursive: true, mode: 0o700 })
