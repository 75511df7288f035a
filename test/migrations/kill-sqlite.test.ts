/** SIGKILL at random points of a 20-migration `okra migrate:up` on SQLite, 20 times (see kill.ts). */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { countedProject } from './counted'
import { KILLS, MIGRATIONS, killAtRandomPoints } from './kill'

it(`SQLite: ${KILLS} SIGKILLs at random points of a ${MIGRATIONS}-migration migrate:up, each followed by a clean run: ledger, schema and data always agree`, async () => {
  const p = await countedProject(MIGRATIONS)
  const fresh = async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(p.root, `dev.db${suffix}`), { force: true })
  }
  const { recordedAtKill } = await killAtRandomPoints(p, fresh)
  console.log(`migrations recorded at each kill: ${recordedAtKill.join(' ')}`)
  expect(recordedAtKill).toHaveLength(KILLS)
}, 120_000)
