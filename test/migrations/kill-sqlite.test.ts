/** SIGKILL at random points of a 20-migration `okra migrate:up` on SQLite, 20 times (see kill.ts). */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { countedProject } from './counted'
import { KILLS, MIGRATIONS, killAtRandomPoints } from './kill'

it(`SQLite: ${KILLS} SIGKILLs at random points of a ${MIGRATIONS}-migration migrate:up, each followed by a clean run: ledger, schema and data always agree`, async () => {
  // SQLite applies such a migration in about a millisecond: without some work in each, the run would end
  // before the kill lands after a progress line. A counting query of some 30 ms keeps every migration open long enough.
  const busy = () => 'SELECT COUNT(*) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000) SELECT x FROM n);\n'
  const p = await countedProject(MIGRATIONS, undefined, busy)
  const fresh = async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(p.root, `dev.db${suffix}`), { force: true })
  }
  const { recordedAtKill } = await killAtRandomPoints(p, fresh)
  console.log(`migrations recorded at each kill: ${recordedAtKill.join(' ')}`)
  expect(recordedAtKill).toHaveLength(KILLS)
}, 120_000)
