/**
 * Whole processes, as users meet OKRA in a terminal or CI: each `okra` command started fresh, side by
 * side with the peer command that does the same job, their runs ALTERNATING (okra, peer, okra, peer ...),
 * at 10, 100 and 1,000 models (one schema file). The result is the ratio (median of the run-by-run
 * ratios), not the absolute times: the machine may be shared.
 *
 * | row | okra | peer |
 * |---|---|---|
 * | --version | `okra --version` | `drizzle-kit --version` |
 * | types | `okra models:generate` (TypeScript + Go + Python; also a first run without any cache) | `prisma generate` (TypeScript) |
 * | one field added, SQLite | `okra db:sync` | `drizzle-kit push` |
 * | one field added, PostgreSQL | `okra db:sync` | `drizzle-kit push` |
 * | migrate:up, nothing pending / 10 pending | `okra migrate:up` | - |
 * | db:diff | `okra db:diff` | - |
 *
 * Every okra row runs a fresh process (OKRA_DAEMON=0); the rows marked "daemon" run the same command through
 * OKRA's daemon (src/daemon), started before the size's rows, in a temporary folder of its own (TMPDIR), and
 * stopped after: the okra program is still a whole process each time, the work is done by the warm daemon.
 * Their CPU column would show the program's alone, so it is left out.
 *
 * The peers come from bench/peers (installed there on first use; lib/peers.mjs). Each tool has a
 * database of its own with the same tables: the peers' schemas are written from the compiled OKRA
 * schema (lib/peers.mjs).
 * CPU time (user + sys) and peak memory come from /usr/bin/time when it exists.
 *
 * Then the cold figures: `okra models:generate` at 1,000 and 5,000 models (TypeScript + Go + Python), wall,
 * CPU and peak memory, without and with the compiled-schema cache.
 *
 * OKRA_BENCH_CLI_SIZES=10,100 picks sizes; OKRA_BENCH_CLI_ROWS=version,generate,sqlite,postgres,migrate,diff,daemon,cold picks rows
 * (daemon: the daemon variants of the generate, sqlite, postgres and diff rows).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { alternate, count, distFile, loadBuilt, mb, measuresCpu, ms, pairedRatio, printTable, runProcess, syntheticSources } from './lib/index.mjs'
import { drizzleSchemaOf, ensurePeers, peersModules, prismaEnv, prismaSchemaOf } from './lib/peers.mjs'
import { pgDatabase, shownAdminUrl } from './lib/pg.mjs'

const SIZES = (process.env.OKRA_BENCH_CLI_SIZES ?? '10,100,1000').split(',').map(Number)
const ROWS = new Set((process.env.OKRA_BENCH_CLI_ROWS ?? 'version,generate,sqlite,postgres,migrate,diff,daemon,cold').split(','))
const RUNS = { 10: 5, 100: 5, 1000: 3 }
const GOALS = { version: 2.5, generate: 20, sqlite: 5, postgres: 30 }

const cli = distFile('okra.cjs')
if (!cli) {
  console.log('cli: skipped (dist/okra.cjs is not built)')
  process.exit(0)
}
const { api } = await loadBuilt(['compileSchema'])
const peers = ensurePeers()
const node = process.execPath
const fresh = { ...process.env, OKRA_DAEMON: '0' }
const okra = (args, cwd, env = fresh) => ({ command: node, args: [cli, ...args], cwd, env })
const DAEMON = ROWS.has('daemon')
const daemonTmp = mkdtempSync(join(tmpdir(), 'okra-bench-daemon-'))
const daemonEnv = { ...process.env, OKRA_DAEMON: '1', TMPDIR: daemonTmp }
/** `okra args` handed to the daemon (contender `name`), or nothing when the daemon rows are not wanted. */
const throughDaemon = (name, args, cwd, extra = {}) => (DAEMON ? [{ name, ...okra(args, cwd, daemonEnv), ...extra }] : [])
const daemonCommand = (command) => runProcess(node, [cli, command], { env: daemonEnv })
process.on('exit', () => {
  if (DAEMON) daemonCommand('daemon:stop')
  rmSync(daemonTmp, { recursive: true, force: true })
})
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')

/** A project folder of `size` models in one file; the peers' packages are reachable from it (node_modules link). */
function makeProject(size, database) {
  const root = mkdtempSync(join(tmpdir(), 'okra-bench-cli-'))
  const text = syntheticSources(size, { modelsPerFile: size }).map((s) => s.text).join('\n')
  writeFileSync(join(root, 'models.okra.gql'), text)
  const generate = { typescript: { out: './gen/models.ts' }, go: { out: './gen/models.go', package: 'models' }, python: { out: './gen/models.py' } }
  writeFileSync(join(root, 'okra.config.json'), JSON.stringify({ database: { ...database, schemas: ['./models.okra.gql'] }, generate }, null, 2))
  if (existsSync(peersModules)) symlinkSync(peersModules, join(root, 'node_modules'), 'dir')
  return root
}

function must(run, what) {
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n')}`)
  return run
}

/** A copy of a project folder (its SQLite database included), beside it; removed with the bench's temporary folders. */
function copyProject(root) {
  const copy = `${root}-daemon`
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true })
  return copy
}

/** A db:sync run's check: it applied the added field. */
function syncedField(run) {
  if (!/extra/.test(run.stdout)) throw new Error(`db:sync applied no field: ${run.stdout}`)
}

/** The project's schema, compiled (to write the peers' schemas from). */
function compiled(root) {
  return api.compileSchema([{ path: 'models.okra.gql', text: readFileSync(join(root, 'models.okra.gql'), 'utf8') }]).schema
}

/** Adds `extra<n>: String?` as the first field of the first model that is not a mixin. */
function addOkraField(root, n) {
  const file = join(root, 'models.okra.gql')
  const text = readFileSync(file, 'utf8')
  const mixins = new Set([...text.matchAll(/\.\.\.(\w+)/g)].map((m) => m[1]))
  const model = [...text.matchAll(/model (\w+) \{\n/g)].find((m) => !mixins.has(m[1]))
  const at = model.index + model[0].length
  writeFileSync(file, `${text.slice(0, at)}  extra${n}: String?\n${text.slice(at)}`)
}

/** Adds a nullable text column `extra_<n>` to the first table of the drizzle schema. */
function addDrizzleColumn(schemaFile, n) {
  const text = readFileSync(schemaFile, 'utf8')
  const table = /(?:sqliteTable|pgTable)\("[^"]+", \{\n/.exec(text)
  if (!table) throw new Error(`no table in ${schemaFile}`)
  const at = table.index + table[0].length
  writeFileSync(schemaFile, `${text.slice(0, at)}\textra${n}: text("extra_${n}"),\n${text.slice(at)}`)
}

/** drizzle-kit's config for one database and its schema (the same tables okra manages), created by a first push. */
function drizzleProject(root, dialect, url, schema) {
  const out = `drizzle-${dialect}`
  const config = `drizzle-${dialect}.config.mjs`
  mkdirSync(join(root, out), { recursive: true })
  writeFileSync(join(root, out, 'schema.ts'), drizzleSchemaOf(schema, dialect))
  writeFileSync(
    join(root, config),
    `export default ${JSON.stringify({ dialect, schema: `./${out}/schema.ts`, out: `./${out}`, dbCredentials: { url } }, null, 2)}\n`,
  )
  must(runProcess(node, [peers.drizzleKit, 'push', '--config', config], { cwd: root }), `the first drizzle-kit push (${dialect})`)
  return { config, schema: join(root, out, 'schema.ts') }
}

const table = []
const notes = []
const COLUMNS = ['models', 'command', 'okra wall', 'okra cpu', 'okra peak', 'peer', 'peer wall', 'peer cpu', 'ratio wall', 'ratio cpu', 'goal (at 100)', 'load avg']
function row(size, what, okraName, peerName, result, goal) {
  const o = result[okraName]
  if (!o) return
  const p = peerName ? result[peerName] : undefined
  const daemon = okraName.includes('daemon')
  const ratio = o && p && !o.error && !p.error ? pairedRatio(o.walls, p.walls) : NaN
  const cpuRatio = o && p && !o.error && !p.error && measuresCpu && !daemon ? pairedRatio(o.cpus, p.cpus) : NaN
  const shown = (r) => (r?.error ? 'failed' : ms(r?.wall))
  if (o?.error) notes.push(`${count(size)} models, ${what}: okra failed: ${o.error}`)
  if (p?.error) notes.push(`${count(size)} models, ${what}: ${peerName} failed: ${p.error}`)
  table.push([
    count(size),
    what,
    shown(o),
    measuresCpu && !o?.error && !daemon ? ms(o?.cpu) : 'n/a',
    !o?.error && !daemon ? mb(o?.maxrss) : 'n/a',
    peerName ?? '-',
    peerName ? shown(p) : '-',
    peerName && measuresCpu && !p?.error ? ms(p?.cpu) : '-',
    Number.isNaN(ratio) ? '-' : `${ratio.toFixed(1)}×`,
    Number.isNaN(cpuRatio) ? '-' : `${cpuRatio.toFixed(1)}×`,
    goal ? (Number.isNaN(ratio) ? `n/a (≥ ${goal}×)` : ratio >= goal ? `✓ ≥ ${goal}×` : `✗ < ${goal}×`) : '',
    load(),
  ])
}

/** The okra-only history for the migrate rows: a base snapshot and 10 more, one field each. */
function migrationProject(size) {
  const root = makeProject(size, { provider: 'sqlite', url: 'sqlite://./dev.db' })
  const step = (args, what) => must(runProcess(node, [cli, ...args], { cwd: root, env: fresh }), what)
  step(['db:sync'], 'db:sync')
  step(['db:migrate:snapshot', '--name', 'base'], 'snapshot')
  for (let i = 1; i <= 10; i++) {
    addOkraField(root, i)
    step(['db:sync'], 'db:sync')
    // Each snapshot is named, so two taken in the same second are still two folders.
    const before = readdirSync(join(root, 'migrations')).length
    step(['db:migrate:snapshot', '--name', `add_${i}`], 'snapshot')
    if (readdirSync(join(root, 'migrations')).length !== before + 1) throw new Error('a snapshot did not write a new migration folder')
  }
  // A database with only the base applied (the other 10 pending), kept as base.db.
  rmSync(join(root, 'dev.db'))
  step(['migrate:up', '--steps', '1'], 'migrate:up (base)')
  copyFileSync(join(root, 'dev.db'), join(root, 'base.db'))
  step(['migrate:up'], 'migrate:up (all)')
  return root
}

for (const size of SIZES) {
  const runs = RUNS[size] ?? 3
  console.log(`${count(size)} models: preparing (load ${load()}) ...`)
  const root = makeProject(size, { provider: 'sqlite', url: 'sqlite://./dev.db' })
  must(runProcess(node, [cli, 'db:sync'], { cwd: root, env: fresh }), 'the first okra db:sync')
  if (DAEMON) must(daemonCommand('daemon:start'), 'okra daemon:start')

  if (ROWS.has('version')) {
    const result = alternate(
      [
        { name: 'okra', ...okra(['--version'], root) },
        ...(peers.drizzleKit ? [{ name: 'drizzle-kit', command: node, args: [peers.drizzleKit, '--version'], cwd: root }] : []),
        { name: 'node', command: node, args: ['-e', '0'], cwd: root },
      ],
      { runs },
    )
    row(size, '--version', 'okra', peers.drizzleKit ? 'drizzle-kit' : undefined, result, GOALS.version)
    if (!result.node.error) notes.push(`${count(size)} models: node -e 0, the floor of any Node command, took ${ms(result.node.wall)} (in the --version loop)`)
  }

  if (ROWS.has('generate')) {
    writeFileSync(join(root, 'schema.prisma'), prismaSchemaOf(compiled(root), 'sqlite'))
    const prisma = peers.prisma
      ? [{ name: 'prisma generate', command: node, args: [peers.prisma, 'generate', '--schema', 'schema.prisma'], cwd: root, env: prismaEnv(), before: () => rmSync(join(root, 'prisma-generated'), { recursive: true, force: true }) }]
      : []
    // Both write every file: the outputs are deleted first (okra leaves unchanged files alone). Without its
    // compiled-schema cache (.okra/cache/schema.json) okra compiles, as after an edit; with it, as in CI on
    // a schema compiled before. The first run on a fresh machine has neither that cache nor the code cache
    // of the okra program (src/code-cache.ts; OKRA_NO_COMPILE_CACHE=1 stands for it).
    const cases = [
      { label: 'no cache', compiled: false, env: process.env },
      { label: 'cache hit', compiled: true, env: process.env },
      { label: 'first run: no caches', compiled: false, env: { ...fresh, OKRA_NO_COMPILE_CACHE: '1' } },
    ]
    for (const { label, compiled: cached, env } of cases) {
      const before = () => {
        rmSync(join(root, 'gen'), { recursive: true, force: true })
        if (!cached) rmSync(join(root, '.okra/cache'), { recursive: true, force: true })
      }
      const result = alternate(
        [
          { name: 'okra', ...okra(['models:generate'], root, env), before },
          ...(label === 'no cache' ? throughDaemon('okra daemon', ['models:generate'], root, { before }) : []),
          ...prisma,
        ],
        { runs },
      )
      row(size, `models:generate (${label})`, 'okra', peers.prisma ? 'prisma generate' : undefined, result, GOALS.generate)
      row(size, `models:generate (${label}), daemon`, 'okra daemon', peers.prisma ? 'prisma generate' : undefined, result, GOALS.generate)
    }
  }

  if (ROWS.has('sqlite')) {
    let result
    try {
      const drizzle = peers.drizzleKit ? drizzleProject(root, 'sqlite', './drizzle.db', compiled(root)) : null
      // The daemon works on a project and database of its own, as each tool does.
      const daemonRoot = copyProject(root)
      result = alternate(
        [
          { name: 'okra', ...okra(['db:sync'], root), before: (i) => addOkraField(root, 100 + i), check: syncedField },
          ...throughDaemon('okra daemon', ['db:sync'], daemonRoot, { before: (i) => addOkraField(daemonRoot, 100 + i), check: syncedField }),
          ...(drizzle ? [{ name: 'drizzle-kit push', command: node, args: [peers.drizzleKit, 'push', '--config', drizzle.config], cwd: root, before: (i) => addDrizzleColumn(drizzle.schema, 100 + i) }] : []),
        ],
        { runs },
      )
    } catch (error) {
      result = { okra: { error: String(error.message) } }
    }
    row(size, 'db:sync, one field, SQLite', 'okra', peers.drizzleKit ? 'drizzle-kit push' : undefined, result, GOALS.sqlite)
    row(size, 'db:sync, one field, SQLite, daemon', 'okra daemon', peers.drizzleKit ? 'drizzle-kit push' : undefined, result, GOALS.sqlite)
  }

  if (ROWS.has('postgres')) {
    const a = await pgDatabase()
    const b = a && (await pgDatabase())
    const c = b && (await pgDatabase())
    if (!a || !b || !c) notes.push(`PostgreSQL rows skipped: no server answers at ${shownAdminUrl()}`)
    else {
      // Three databases: okra's, drizzle's, and the daemon's (with a project of its own).
      const dbs = [a, b, c]
      for (const db of dbs) {
        await db.create()
      }
      const pgRoot = makeProject(size, { provider: 'postgres', url: a.url })
      const daemonRoot = makeProject(size, { provider: 'postgres', url: c.url })
      let result
      try {
        must(runProcess(node, [cli, 'db:sync'], { cwd: pgRoot, env: fresh }), 'the first okra db:sync (PostgreSQL)')
        must(runProcess(node, [cli, 'db:sync'], { cwd: daemonRoot, env: fresh }), 'the first okra db:sync (PostgreSQL, the daemon\'s database)')
        const drizzle = peers.drizzleKit ? drizzleProject(pgRoot, 'postgresql', b.url, compiled(pgRoot)) : null
        result = alternate(
          [
            { name: 'okra', ...okra(['db:sync'], pgRoot), before: (i) => addOkraField(pgRoot, 100 + i), check: syncedField },
            ...throughDaemon('okra daemon', ['db:sync'], daemonRoot, { before: (i) => addOkraField(daemonRoot, 100 + i), check: syncedField }),
            ...(drizzle ? [{ name: 'drizzle-kit push', command: node, args: [peers.drizzleKit, 'push', '--config', drizzle.config], cwd: pgRoot, before: (i) => addDrizzleColumn(drizzle.schema, 100 + i) }] : []),
          ],
          { runs },
        )
      } catch (error) {
        result = { okra: { error: String(error.message) } }
      } finally {
        for (const db of dbs) await db.drop().catch(() => {})
        for (const db of dbs) await db.end().catch(() => {})
        for (const dir of [pgRoot, daemonRoot]) rmSync(dir, { recursive: true, force: true })
      }
      row(size, 'db:sync, one field, PostgreSQL', 'okra', peers.drizzleKit ? 'drizzle-kit push' : undefined, result, GOALS.postgres)
      row(size, 'db:sync, one field, PostgreSQL, daemon', 'okra daemon', peers.drizzleKit ? 'drizzle-kit push' : undefined, result, GOALS.postgres)
    }
  }

  if (ROWS.has('migrate') || ROWS.has('diff')) {
    const mroot = migrationProject(size)
    if (ROWS.has('migrate')) {
      row(size, 'migrate:up, nothing pending', 'okra', undefined, alternate([{ name: 'okra', ...okra(['migrate:up'], mroot) }], { runs }))
      const pending = alternate(
        [
          {
            name: 'okra',
            ...okra(['migrate:up'], mroot),
            before: () => copyFileSync(join(mroot, 'base.db'), join(mroot, 'dev.db')),
            check: (r) => { if (!/Applied 10 migrations/.test(r.stdout + r.stderr)) throw new Error(`expected 10 migrations applied: ${r.stdout}`) },
          },
        ],
        { runs },
      )
      row(size, 'migrate:up, 10 pending', 'okra', undefined, pending)
    }
    if (ROWS.has('diff')) {
      addOkraField(mroot, 999)
      const listed = (r) => { if (!/extra999/.test(r.stdout)) throw new Error(`db:diff did not list the change: ${r.stdout}`) }
      const diff = alternate([{ name: 'okra', ...okra(['db:diff'], mroot), check: listed }, ...throughDaemon('okra daemon', ['db:diff'], mroot, { check: listed })], { runs })
      row(size, 'db:diff (one change)', 'okra', undefined, diff)
      row(size, 'db:diff (one change), daemon', 'okra daemon', undefined, diff)
    }
    rmSync(mroot, { recursive: true, force: true })
  }
  if (DAEMON) must(daemonCommand('daemon:stop'), 'okra daemon:stop')
  for (const dir of [root, `${root}-daemon`]) rmSync(dir, { recursive: true, force: true })
  // Each size's rows as soon as they are measured (a long run stopped half way still shows them).
  printTable({ title: `${count(size)} models`, columns: COLUMNS, rows: table.filter((r) => r[0] === count(size)) })
}

/** Cold: `okra models:generate` at 1,000 and 5,000 models in one process each, without and with the cache. */
const cold = []
if (ROWS.has('cold')) {
  for (const size of [1000, 5000]) {
    const root = makeProject(size, { provider: 'sqlite', url: 'sqlite://./dev.db' })
    for (const cached of [false, true]) {
      const result = alternate(
        [{ name: 'okra', ...okra(['models:generate'], root), before: () => { rmSync(join(root, 'gen'), { recursive: true, force: true }); if (!cached) rmSync(join(root, '.okra/cache'), { recursive: true, force: true }) } }],
        { runs: 3 },
      )
      const o = result.okra
      cold.push([count(size), cached ? 'cache hit' : 'no cache', o.error ? 'failed' : ms(o.wall), o.error ? '-' : ms(o.cpu), o.error ? '-' : mb(o.maxrss), load()])
      if (o.error) notes.push(`cold ${count(size)} models: ${o.error}`)
    }
    rmSync(root, { recursive: true, force: true })
  }
}

printTable({
  title: 'okra as whole processes, side by side with the peers (median of alternating runs; ratio = median of run-by-run peer/okra)',
  columns: COLUMNS,
  rows: table,
  notes: [
    `runs per row: ${SIZES.map((s) => `${count(s)} models: ${RUNS[s] ?? 3}`).join(', ')} (after one unmeasured round)`,
    peers.versions ? `peers: drizzle-kit ${peers.versions['drizzle-kit']}, drizzle-orm ${peers.versions['drizzle-orm']}, prisma ${peers.versions.prisma} (bench/peers)` : `peers: ${peers.reason}`,
    'prisma generate runs with its schema-engine path set to /bin/false (the engine cannot be downloaded offline; generate never runs it) and CHECKPOINT_DISABLE=1',
    'the prisma schema has the same models, columns, primary keys and enums, without relation fields (lib/peers.mjs)',
    measuresCpu ? 'cpu = user + sys of the process and its children (/usr/bin/time); peak = its maxRSS' : 'no /usr/bin/time here: no CPU time or peak memory per process',
    ...(DAEMON
      ? ['"daemon" rows: the okra program hands the command to OKRA\'s daemon (OKRA_DAEMON=1), started before each size\'s rows, with a project and database of its own; its CPU is not the program\'s, so cpu and peak are left out']
      : []),
    ...notes,
  ],
})
if (cold.length) {
  printTable({
    title: 'Cold: okra models:generate (TypeScript + Go + Python) as a whole process, one schema file (median of 3)',
    columns: ['models', 'compiled schema', 'wall', 'cpu', 'peak memory', 'load avg'],
    rows: cold,
  })
}
