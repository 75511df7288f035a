/**
 * Proves the harness's fallback: with the harness forced into PGlite mode (what happens when no server
 * answers), a part of the PostgreSQL suite runs on embedded PGlite through the ordinary pg driver.
 */
import { describe, expect, it, vi } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { usePgDatabase } from '../helpers/pg'
import { driverContract } from './contract'
import { PG_DDL, PG_EXPECTED } from './pg-fixture'

const pgdb = await usePgDatabase({ forcePglite: true })
// Not forced: a URL where no server answers makes the harness fall back by itself.
process.env.OKRA_TEST_PG_URL = 'postgres://postgres:S3cret@127.0.0.1:1/postgres'
const detected = await usePgDatabase()
delete process.env.OKRA_TEST_PG_URL

describe('the PGlite fallback of the test harness', () => {
  it('serves a fresh schema of its own on a random 127.0.0.1 port', async () => {
    expect(pgdb.mode).toBe('pglite')
    const url = new URL(pgdb.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(url.port).not.toBe('5432')
    expect(url.searchParams.get('schema')).toMatch(/^okra_test_[0-9a-f]{12}$/)
    const driver = await openDriver(pgdb.url)
    try {
      expect((await driver.introspect()).tables).toEqual([])
      const [row] = await driver.query<{ version: string }>('SELECT version() AS version')
      expect(row!.version).toMatch(/^PostgreSQL \d+/)
    } finally {
      await driver.close()
    }
  })

  it('introspects the hand-written DDL exactly as a server does, and reset() empties it', async () => {
    const driver = await openDriver(pgdb.url)
    try {
      await driver.exec(PG_DDL)
      expect(await driver.introspect()).toEqual(PG_EXPECTED)
      await pgdb.reset()
      expect(await driver.introspect()).toEqual({ provider: 'postgres', tables: [], enums: [] })
    } finally {
      await driver.close()
    }
  })

  it('falls back by itself when no server answers', () => {
    expect(detected.mode).toBe('pglite')
    expect(detected.url).not.toBe(pgdb.url)
  })

  it('says plainly, once, that session-concurrency tests do not run there, and why', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(pgdb.serverOnly('lock demo')).toBe(false)
      expect(pgdb.serverOnly('lock demo')).toBe(false)
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
        'Not run on embedded PGlite: lock demo. Why: PGlite is a single backend session shared by every connection; it needs a real PostgreSQL server (OKRA_TEST_PG_URL).\n',
      ])
    } finally {
      stderr.mockRestore()
    }
  })
})

driverContract('PostgreSQL on embedded PGlite', () => openDriver(pgdb.url), { sharedSession: true })
