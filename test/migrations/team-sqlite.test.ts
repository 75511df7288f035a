/**
 * A team with real git on SQLite: two branches snapshot from the same base and are merged; every command
 * reports the fork and changes nothing; `okra migrate:rebase` makes the history one line; then databases
 * that applied nothing, the first branch, the other branch, or both branches in the other order all reach
 * the head with `okra migrate:up`, keeping every column and row; generateSQL off and on. A true conflict
 * (both branches change one field) stops the rebase, naming it.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { rebaseHistory } from '../../src/migrations/rebase-history'
import { BASE, forkedTeam, makeTeam } from './team'
import { rebaseAndMigrateEveryDatabase } from './team-scenario'

const builtPlugin = fileURLToPath(new URL('../../dist/vite.js', import.meta.url))
const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js')

describe.each([false, true])('SQLite, generateSQL %s', (generateSQL) => {
  it('rebases a merged fork; fresh, branch A, branch B and both-branch databases reach the head with every column and row', async () => {
    const team = await makeTeam('sqlite', { generateSQL })
    await rebaseAndMigrateEveryDatabase(team, { generateSQL })
  })
})

describe('SQLite, what sees the fork before the rebase', () => {
  it('migrate:status, migrate:up, okra build and vite build report it and change nothing', async () => {
    const team = await makeTeam('sqlite', { generateSQL: false })
    const { sku, weight } = await forkedTeam(team)
    const before = team.git('status', '--porcelain')
    const fresh = await team.database('fresh')

    for (const args of [['migrate:status'], ['migrate:up'], ['build']]) {
      const r = team.okra(args, fresh)
      expect(r.code, `okra ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(1)
      expect(r.stderr).toContain(sku)
      expect(r.stderr).toContain(weight)
      expect(r.stderr).toContain('okra migrate:rebase')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    expect(existsSync(join(team.root, 'fresh.db')) ? await fresh.tables() : []).not.toContain('products')

    writeFileSync(join(team.root, 'vite.config.mjs'), `import okra from ${JSON.stringify(builtPlugin)}\nexport default { plugins: [okra()] }\n`)
    writeFileSync(join(team.root, 'index.html'), '<script type="module" src="./main.js"></script>\n')
    writeFileSync(join(team.root, 'main.js'), "import { models } from 'virtual:okra/models'\nconsole.log(models)\n")
    const vite = spawnSync(process.execPath, [viteBin, 'build'], { cwd: team.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', OKRA_ENV: '', DATABASE_URL: fresh.url } })
    expect(vite.status).toBe(1)
    expect(vite.stdout + vite.stderr).toContain('okra migrate:rebase')
    expect(existsSync(join(team.root, 'dist'))).toBe(false)
    // Nothing under version control was touched by any of them.
    expect(team.git('status', '--porcelain', '--', 'migrations', 'models.okra.gql', 'okra.config.json')).toBe(
      before.split('\n').filter((l) => /migrations|models\.okra|okra\.config/.test(l)).join('\n'),
    )
  })

  it('a true conflict (both branches change products.price) stops the rebase, naming the field; nothing is written', async () => {
    const team = await makeTeam('sqlite', { generateSQL: false })
    await team.snapshot('init')
    team.commit('init')
    await team.branch('int-price', BASE.replace('price: Float!', 'price: Int!'), 'price_int')
    await team.branch('decimal-price', BASE.replace('price: Float!', 'price: Decimal!'), 'price_decimal')
    team.git('checkout', '-q', 'main')
    team.git('merge', '-q', '--no-edit', 'int-price')
    // Git sees the conflict in the schema text; the team picks one side there, the migrations still fork.
    expect(team.tryGit('merge', '--no-edit', 'decimal-price').status).not.toBe(0)
    team.git('checkout', '--ours', '--', 'models.okra.gql', 'migrations/snapshot/schema.json')
    team.commit('merge decimal-price')
    const folders = team.migrations()
    const snapshotText = team.read('migrations/snapshot/schema.json')

    const r = team.okra(['migrate:rebase'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('field Product.price: changed on the other branch, changed by')
    expect(r.stderr).toContain('Nothing was changed')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(team.migrations()).toEqual(folders)
    expect(team.read('migrations/snapshot/schema.json')).toBe(snapshotText)
  })
})

describe('a database that applied the moved branch, then drifted', () => {
  it('migrate:up refuses before any SQL, naming the difference; nothing changes', async () => {
    const team = await makeTeam('sqlite', { generateSQL: false })
    const { weight } = await forkedTeam(team)
    const db = await team.database('applied_weight')
    await rebaseHistory({ cwd: team.root, processEnv: { DATABASE_URL: (await team.database('dev')).url } })
    await db.exec('ALTER TABLE "products" ADD COLUMN "by_hand" TEXT')
    const ledger = async () => (await db.rows('SELECT "id" FROM "_okra_migrations" ORDER BY "id"')).map((r) => r.id)
    const before = await ledger()
    expect(before).toContain(weight)

    const up = team.okra(['migrate:up'], db)
    expect(up.code).toBe(1)
    expect(up.stderr).toContain(`This database applied ${weight} before they were rebased`)
    expect(up.stderr).toContain("by_hand")
    expect(up.stderr).toContain('nothing was run')
    expect(await db.columns('products')).not.toContain('sku')
    expect(await ledger()).toEqual(before)
    const status = team.okra(['migrate:status'], db)
    expect(status.stdout).toContain('migrate:up will refuse')
  })
})

describe('migrate:rebase never moves a migration the environment database applied', () => {
  it('keeps the applied branch and moves the other one, saying so; --onto that would move it stops', async () => {
    const team = await makeTeam('sqlite', { generateSQL: false })
    const { sku, weight } = await forkedTeam(team)
    const env = { DATABASE_URL: (await team.database('applied_weight')).url }
    await expect(rebaseHistory({ cwd: team.root, processEnv: env, onto: sku, dryRun: true })).rejects.toThrow(`applied ${weight}, which would move`)
    const result = await rebaseHistory({ cwd: team.root, processEnv: env })
    expect(result.notes.join('\n')).toContain(`applied ${weight}, so that branch stays and ${sku} moves after it`)
    expect(result.onto).toBe(weight)
    expect(result.moved.map((m) => m.from)).toEqual([sku])
    expect(team.migrations().map((id) => id.slice(16))).toEqual(['init', 'add_weight', 'add_sku'])
    expect(team.migrations()).toContain(weight)
  })
})
