/**
 * The migration lock's timeout as users read it: a wait that runs out names the timeout they gave, however
 * much time passed before the lock was tried (a CI run once read "within 0.999 s" for --lock-timeout 1).
 */
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { openDriver } from '../../src/dialects/index'
import { MIGRATION_LOCK, takeMigrationLock } from '../../src/migrations/lock'
import { useTempDir } from '../helpers/tmp'

const dir = useTempDir('okra-lock-timeout-')

afterEach(() => vi.restoreAllMocks())

it('names the timeout given, also when time passed before the lock was tried', async () => {
  const url = `sqlite://${join(dir.path, 'dev.db')}`
  const holder = await openDriver(url)
  const waiter = await openDriver(url)
  const release = await holder.lock(MIGRATION_LOCK, { timeoutMs: 1000 })
  try {
    // Every reading of the clock is 50 ms after the last: the lock is tried after time passed.
    let now = Date.now()
    vi.spyOn(Date, 'now').mockImplementation(() => (now += 50))
    const error = await takeMigrationLock(waiter, 300).catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(/within 0\.3 s: process \d+ holds it/)
  } finally {
    vi.restoreAllMocks()
    await release()
    await holder.close()
    await waiter.close()
  }
})
