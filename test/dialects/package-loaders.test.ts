/**
 * How the drivers load their packages (src/dialects/postgres/pg.ts, src/dialects/sqlite/better-sqlite3.ts),
 * in a fresh Node process of its own, as a command does: pg without Node's fetch implementation being
 * loaded and without leaving a `navigator` behind; better-sqlite3 with its addon found where npm put it.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CHILD_NODE_PATH, bundleAsCommonJS } from '../helpers/bundle'
import { makeTempDir } from '../helpers/tmp'

/** Runs `script` in a new Node process with `entry` (a source file) bundled as `loaders`; returns its JSON output. */
async function inFreshProcess(entry: string, script: string): Promise<Record<string, unknown>> {
  const dir = makeTempDir()
  const bundle = join(dir, 'loaders.cjs')
  await bundleAsCommonJS(fileURLToPath(new URL(entry, import.meta.url)), bundle)
  const run = spawnSync(process.execPath, ['-e', `const loaders = require(${JSON.stringify(bundle)});\n${script}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: CHILD_NODE_PATH },
  })
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as Record<string, unknown>
}

const FETCH_LOADED = `process.moduleLoadList.some((m) => m.includes('undici'))`

describe('package loaders', () => {
  it('pg loads without Node loading its fetch implementation, and leaves globalThis as it was', async () => {
    const result = await inFreshProcess(
      '../../src/dialects/postgres/pg.ts',
      `const before = 'navigator' in globalThis
const pg = loaders.loadPg()
console.log(JSON.stringify({ pool: typeof pg.Pool, same: loaders.loadPg() === pg, fetch: ${FETCH_LOADED}, navigator: ('navigator' in globalThis) === before }))`,
    )
    expect(result).toEqual({ pool: 'function', same: true, fetch: false, navigator: true })
  })

  it('the check is real: pg loaded plainly makes Node load fetch where Node has no navigator (Node 20)', async () => {
    const result = await inFreshProcess('../../src/dialects/postgres/pg.ts', `require('pg'); console.log(JSON.stringify({ fetch: ${FETCH_LOADED}, navigator: 'navigator' in globalThis }))`)
    // Node 21 and later have a navigator, so pg never touches fetch there.
    expect(result.fetch).toBe(!result.navigator)
  })

  it('better-sqlite3 opens databases with the addon npm installed', async () => {
    const result = await inFreshProcess(
      '../../src/dialects/sqlite/better-sqlite3.ts',
      `const db = loaders.openBetterSqlite(':memory:', {})
const row = db.prepare('SELECT sqlite_version() AS v').get()
db.close()
console.log(JSON.stringify({ version: typeof row.v, bindingsLoaded: Object.keys(require.cache).some((f) => f.includes('/bindings/')) }))`,
    )
    expect(result).toEqual({ version: 'string', bindingsLoaded: false })
  })
})
