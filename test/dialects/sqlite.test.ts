import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { DriverError, openDriver, type Driver } from '../../src/dialects/index'
import { CHILD_NODE_PATH, bundleAsCommonJS } from '../helpers/bundle'
import { makeTempDir } from '../helpers/tmp'
import { driverContract } from './contract'

const contractDir = mkdtempSync(join(tmpdir(), 'okra-sqlite-contract-'))
afterAll(() => rmSync(contractDir, { recursive: true, force: true }))
driverContract('SQLite file', () => openDriver('sqlite://./contract.db', { root: contractDir }))
driverContract('SQLite :memory:', () => openDriver('sqlite://:memory:'))

const open: Driver[] = []
afterEach(async () => {
  for (const driver of open.splice(0)) await driver.close()
})
async function openTracked(url: string, root?: string): Promise<Driver> {
  const driver = await openDriver(url, { root })
  open.push(driver)
  return driver
}

describe('SQLite driver', () => {
  it('opens file: and sqlite:// URLs relative to the root, creating the folder, with WAL and foreign keys on', async () => {
    const root = makeTempDir()
    const driver = await openTracked('file:./data/dev.db', root)
    expect(driver.provider).toBe('sqlite')
    expect(driver.displayUrl).toBe('file:./data/dev.db')
    expect(existsSync(join(root, 'data', 'dev.db'))).toBe(true)
    expect(await driver.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }])
    expect(await driver.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }])
    const same = await openTracked(`sqlite://${join(root, 'data', 'dev.db')}`)
    await driver.exec('CREATE TABLE "t" ("x" INTEGER)')
    expect((await same.introspect()).tables.map((t) => t.name)).toEqual(['t'])
  })

  it('enforces foreign keys', async () => {
    const driver = await openTracked('sqlite://:memory:')
    await driver.exec('CREATE TABLE "p" ("id" INTEGER PRIMARY KEY); CREATE TABLE "c" ("p" INTEGER REFERENCES "p" ("id"));')
    const error = (await driver.query('INSERT INTO "c" VALUES (42)').catch((e: unknown) => e)) as DriverError
    expect(error).toBeInstanceOf(DriverError)
    expect(error.code).toBe('SQLITE_CONSTRAINT_FOREIGNKEY')
  })

  it('binds ? and $n placeholders, booleans as 1/0 and dates as ISO text', async () => {
    const driver = await openTracked('sqlite://:memory:')
    expect(await driver.query('SELECT ? AS a, ? AS b', ['x', true])).toEqual([{ a: 'x', b: 1 }])
    expect(await driver.query('SELECT $2 AS a, $1 AS b, $2 AS c', [new Date(0), false])).toEqual([{ a: 0, b: '1970-01-01T00:00:00.000Z', c: 0 }])
  })

  it('keeps a trigger body with its inner semicolons in one statement', async () => {
    const driver = await openTracked('sqlite://:memory:')
    await driver.exec(`
      CREATE TABLE "a" ("x" INTEGER, "y" INTEGER);
      CREATE TRIGGER "a_t" AFTER INSERT ON "a" BEGIN
        UPDATE "a" SET "y" = CASE WHEN NEW."x" > 0 THEN 1 ELSE 0 END WHERE rowid = NEW.rowid;
        UPDATE "a" SET "y" = "y" + 10 WHERE rowid = NEW.rowid;
      END;
      INSERT INTO "a" ("x") VALUES (5);
    `)
    expect(await driver.query('SELECT "y" FROM "a"')).toEqual([{ y: 11 }])
  })

  it('names the directory problem when the file cannot be opened', async () => {
    const root = makeTempDir()
    const error = await openDriver('sqlite://./', { root }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DriverError)
    expect((error as Error).message).toContain('Cannot open the SQLite database sqlite://./')
  })
})

describe('SQLite lock', () => {
  it('times out naming the holding process, within the timeout', async () => {
    const root = makeTempDir()
    const holder = await openTracked('sqlite://./lock.db', root)
    const waiter = await openTracked('sqlite://./lock.db', root)
    const release = await holder.lock('migrate', { timeoutMs: 1000 })
    const started = Date.now()
    const error = (await waiter.lock('migrate', { timeoutMs: 1000 }).catch((e: unknown) => e)) as Error
    const waited = Date.now() - started
    expect(error.message).toContain(`Could not take the lock "migrate" on sqlite://./lock.db within 1 s: process ${process.pid} holds it`)
    expect(waited).toBeGreaterThanOrEqual(950)
    expect(waited).toBeLessThan(3000)
    // Another key is independent.
    await (await waiter.lock('other', { timeoutMs: 1000 }))()
    await release()
    await (await waiter.lock('migrate', { timeoutMs: 1000 }))()
  })

  it('is taken over when the driver holding it closed without releasing', async () => {
    const root = makeTempDir()
    const holder = await openDriver('sqlite://./lock.db', { root })
    await holder.lock('migrate', { timeoutMs: 1000 })
    await holder.close()
    const waiter = await openTracked('sqlite://./lock.db', root)
    await (await waiter.lock('migrate', { timeoutMs: 1000 }))()
  })

  it('waits for another process, names its pid, and takes over once that process dies', async () => {
    const root = makeTempDir()
    const child = await childHoldingLock(join(root, 'lock.db'))
    try {
      const waiter = await openTracked('sqlite://./lock.db', root)
      const error = (await waiter.lock('migrate', { timeoutMs: 1000 }).catch((e: unknown) => e)) as Error
      expect(error.message).toContain(`process ${child.pid} holds it`)
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      const release = await waiter.lock('migrate', { timeoutMs: 1000 })
      const [row] = await waiter.query<{ pid: number }>('SELECT "pid" FROM "_okra_lock" WHERE "key" = $1', ['migrate'])
      expect(row!.pid).toBe(process.pid)
      await release()
    } finally {
      child.kill('SIGKILL')
    }
  })
})

/** A separate Node process that takes the lock with the real driver (bundled by esbuild) and keeps it. */
async function childHoldingLock(file: string): Promise<ChildProcess> {
  const dir = makeTempDir()
  const bundle = join(dir, 'drivers.cjs')
  await bundleAsCommonJS(fileURLToPath(new URL('../../src/dialects/index.ts', import.meta.url)), bundle)
  const script = `
    const { openDriver } = require(${JSON.stringify(bundle)});
    openDriver(${JSON.stringify('sqlite://' + file)}).then(async (d) => {
      await d.lock('migrate', { timeoutMs: 1000 });
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);
    });`
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_PATH: CHILD_NODE_PATH },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolveReady, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('locked') && resolveReady())
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)))
  })
  return child
}
