/** SIGKILL at random points of a 20-migration `okra migrate:up` on PostgreSQL, 20 times (see kill.ts). */
import { expect, it } from 'vitest'
import { usePgDatabase } from '../helpers/pg'
import { countedProject } from './counted'
import { KILLS, MIGRATIONS, killAtRandomPoints } from './kill'

const pgdb = await usePgDatabase()

it.runIf(pgdb.serverOnly('killing whole okra processes holding server sessions'))(
  `PostgreSQL: ${KILLS} SIGKILLs at random points of a ${MIGRATIONS}-migration migrate:up, each followed by a clean run: ledger, schema and data always agree`,
  async () => {
    // PostgreSQL applies such a migration in about a millisecond: without some wait in each, the run could end
    // before the kill lands after a progress line. A 30 ms sleep keeps every migration open long enough.
    const p = await countedProject(MIGRATIONS, pgdb.url, () => 'SELECT pg_sleep(0.03);\n')
    const { recordedAtKill } = await killAtRandomPoints(p, () => pgdb.reset())
    console.log(`migrations recorded at each kill: ${recordedAtKill.join(' ')}`)
    expect(recordedAtKill).toHaveLength(KILLS)
  },
  120_000,
)
