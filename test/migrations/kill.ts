/**
 * The SIGKILL fault run shared by the PostgreSQL and SQLite suites: 20 times, a fresh database, a whole
 * `okra migrate:up` process of a 20-migration history killed (SIGKILL: no cleanup, no lock given back
 * by the process) at a random point, the database checked, then a clean `migrate:up`. After the kill
 * the ledger, the schema and the data migrations' counter rows must agree (what is recorded is exactly
 * what is there), and after the clean run every migration must have run exactly once.
 *
 * The points are random but reproducible: the seed is printed with every failure (OKRA_FAULT_SEED=N
 * replays a run). A point is "after the progress line of migration k, plus a few ms" for a random k, or
 * a random moment of the process's start for k = 0 (at the latest, when the first migration is reported).
 */
import { expect } from 'vitest'
import { prng } from '../../bench/lib/synthetic.mjs'
import { migrateUp } from '../../src/migrations/up'
import { type CountedProject, consistency, expectedFor, run, waitFor } from './counted'

export const MIGRATIONS = 20
export const KILLS = 20

export async function killAtRandomPoints(p: CountedProject, fresh: () => Promise<void>): Promise<{ seed: number; recordedAtKill: number[] }> {
  const seed = Number(process.env.OKRA_FAULT_SEED) || Date.now() % 1_000_000
  const next = prng(seed) // seeded: a failing sequence of kill points can be replayed
  const recordedAtKill: number[] = []
  for (let round = 1; round <= KILLS; round++) {
    const where = `kill ${round} of ${KILLS} (OKRA_FAULT_SEED=${seed})`
    await fresh()
    // Killed after migration k's progress line (k < MIGRATIONS - 1, so at least two are left to run), or for k = 0 during start-up.
    const k = Math.floor(next() * (MIGRATIONS - 1))
    const extraMs = Math.floor(next() * (k === 0 ? 400 : 15))
    const victim = run(p, ['migrate:up'])
    if (k > 0) {
      await waitFor(() => victim.stderr().includes(`[${k}/${MIGRATIONS}]`), `${where}: progress line ${k}`)
      await new Promise((resolve) => setTimeout(resolve, extraMs))
    } else {
      // Start-up, however fast it is: killed at the random moment, or at the latest when the first migration is reported.
      const until = Date.now() + extraMs
      await waitFor(() => Date.now() >= until || victim.stderr().includes(`[1/${MIGRATIONS}]`), `${where}: a moment of start-up`)
    }
    victim.child.kill('SIGKILL')
    const killed = await victim.done
    expect(killed.signal, `${where}: the run ended before its kill: ${killed.stderr}`).toBe('SIGKILL')

    const after = await consistency(p)
    const recorded = after.ledger.map((line) => line.split(' ')[0]!)
    expect(recorded, `${where}: the ledger holds a prefix of the history`).toEqual(p.ids.slice(0, recorded.length))
    expect(after, `${where}: ledger, schema and data agree after the kill`).toEqual(expectedFor(p, recorded))
    recordedAtKill.push(recorded.length)

    const clean = await migrateUp({ cwd: p.root, lockTimeoutMs: 10_000 })
    expect(clean.applied.map((m) => m.id), `${where}: the clean run applies exactly what was left`).toEqual(p.ids.slice(recorded.length))
    expect(await consistency(p), `${where}: every migration ran exactly once`).toEqual(expectedFor(p, p.ids))
  }
  return { seed, recordedAtKill }
}
