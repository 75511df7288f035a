/**
 * The dev panel as developers meet it: `/__okra/` on a real Vite dev server (createServer, with the
 * plugin) over a copy of the playground, in headless Chromium. Saves are real file writes seen by Vite's
 * watcher; the database is the playground's real SQLite file.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OkraPluginOptions } from '../../src/plugin/options'
import { compileSchema } from '../../src/schema/compile'
import okraVite from '../../src/vite'
import { makeTempDir } from '../helpers/tmp'
import { viteDevServer } from '../../bench/lib/vite.mjs'
import { waitFor } from '../plugin/project'
import { type Browser, launchBrowser } from './browser'

const PLAYGROUND = join(import.meta.dirname, '..', '..', 'playground')

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

interface Running {
  root: string
  server: ViteDevServer
  /** `http://localhost:<port>` */
  origin: string
  /** Every line Vite's logger got (OKRA's included). */
  lines: string[]
  schemaFile: string
  page: Page
  /** Errors the page reported. */
  errors: string[]
}

/** A copy of the playground under a real Vite dev server with the plugin, and the panel open in a page. */
async function start(options: OkraPluginOptions = {}): Promise<Running> {
  const root = makeTempDir('okra-panel-vite-')
  for (const path of ['models.okra.gql', 'okra.config.json', 'migrations', 'index.html', 'src/main.ts']) cpSync(join(PLAYGROUND, path), join(root, path), { recursive: true })
  const { server, lines } = await viteDevServer(root, [okraVite({ syncDebounce: 30, ...options })], { strictPort: false, host: 'localhost' })
  await server.listen()
  const origin = new URL(server.resolvedUrls!.local[0]!).origin
  const page = await browser.context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return { root, server, origin, lines, schemaFile: join(root, 'models.okra.gql'), page, errors }
}

async function stop(running: Running): Promise<void> {
  await running.page.close()
  await running.server.close()
}

const modelNames = (page: Page) => page.$$eval('svg.diagram g.node.model', (nodes) => nodes.map((n) => n.getAttribute('data-name')!).sort())
const rowNames = (page: Page, model: string) => page.$$eval(`svg.diagram g.node[data-name="${model}"] .row .field`, (texts) => texts.map((t) => t.textContent))

/** Rows of a table in the dev database, read straight from the file. */
async function sqlite<T>(file: string, sql: string): Promise<T[]> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all() as T[]
  } finally {
    db.close()
  }
}

async function sqliteRun(file: string, sql: string): Promise<void> {
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(file, { fileMustExist: true })
  try {
    db.exec(sql)
  } finally {
    db.close()
  }
}

describe('the dev panel on the Vite dev server', () => {
  it('draws the playground, follows every save without a reload, shows a schema error and keeps the last diagram', async () => {
    const running = await start()
    const { page, origin, schemaFile, lines } = running
    try {
      await waitFor('the first sync', () => lines.some((line) => line.startsWith('[okra] synced: +')))
      // The URL goes out beside Vite's own.
      running.server.printUrls()
      expect(lines).toContain(`  ➜  OKRA:    ${origin}/__okra/`)

      await page.goto(`${origin}/__okra/`)
      await page.waitForSelector('svg.diagram g.node.model')
      const schema = compileSchema([{ path: 'models.okra.gql', text: readFileSync(schemaFile, 'utf8') }]).schema!
      expect(await modelNames(page)).toEqual(schema.models.map((m) => m.name).sort())
      expect(await page.$$eval('svg.diagram g.node.enum', (nodes) => nodes.map((n) => n.getAttribute('data-name')).sort())).toEqual(['Role', 'Status'])
      // Post.author -> User, cascade.
      expect(await page.$$eval('svg.diagram g.edge', (edges) => edges.length)).toBe(1)
      expect(await page.$$eval('svg.diagram g.edge .rule', (labels) => labels.map((l) => l.textContent))).toEqual(['cascade'])
      expect(await page.locator('#project').textContent()).toContain('auto-sync on')
      await page.evaluate('window.loadedOnce = true')

      // A save adds a field: the box grows, the sync log says so, the model's table in the database has the column.
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  bio: String?\n', '  bio: String?\n  website: String?\n'))
      await expect.poll(() => rowNames(page, 'User'), { timeout: 10_000 }).toContain('website')
      await page.click('.tabs button[data-tab="log"]')
      await page.waitForSelector("#tab-log ol.log > li.applied code:text(\"+ Added field 'website' to User\")")
      await page.click('.tabs button[data-tab="changes"]')
      await page.waitForSelector("#tab-changes ul.changes code:text(\"+ Added field 'website' to User\")")
      expect(await page.locator('#tab-changes').textContent()).toContain('ALTER TABLE "users" ADD COLUMN "website" TEXT;')
      await page.locator('#search').fill('User')
      await page.keyboard.press('Enter')
      await page.waitForSelector('#tab-model .db-table table')
      expect(await page.$$eval('#tab-model .db-table tbody tr td:first-child code', (cells) => cells.map((c) => c.textContent))).toContain('website')

      // A broken save: the frame, the place, and the last good diagram stays.
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  website: String?\n', '  website: Strin?\n'))
      await page.waitForSelector('#problem:not([hidden]) pre.frame')
      expect(await page.locator('#problem .where').textContent()).toMatch(/^models\.okra\.gql:\d+:12$/)
      expect(await page.locator('#problem pre.frame').textContent()).toContain('website: Strin?')
      expect(await page.locator('#problem').textContent()).toContain("Unknown type 'Strin'")
      expect(await rowNames(page, 'User')).toContain('website')

      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  website: Strin?\n', '  website: String?\n  twitter: String?\n'))
      await page.waitForSelector('#problem', { state: 'hidden' })
      await expect.poll(() => rowNames(page, 'User')).toContain('twitter')
      expect(await page.evaluate('window.loadedOnce')).toBe(true)
      expect(running.errors).toEqual([])
    } finally {
      await stop(running)
    }
  })

  it('refuses a state-changing request without the token, from another origin or for another host, through Vite', async () => {
    const running = await start({ autoSync: 'ask' })
    const { origin } = running
    try {
      const url = `${origin}/__okra/api/consent`
      const body = JSON.stringify({ id: 'x', decision: 'apply' })
      // No token (curl-like: no Origin either), and a page of another origin that does send one.
      const bare = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      expect(bare.status).toBe(403)
      const page = await (await fetch(`${origin}/__okra/`)).text()
      const token = /<meta name="okra-token" content="([^"]+)">/.exec(page)![1]!
      const crossOrigin = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:3000', 'x-okra-token': token }, body })
      expect(crossOrigin.status).toBe(403)
      // The right origin and token reach the source, which knows no such request.
      const same = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin, 'x-okra-token': token }, body })
      expect(same.status).toBe(404)

      // In the browser: the page's own fetch without the token is refused too.
      await running.page.goto(`${origin}/__okra/`)
      const status = await running.page.evaluate(
        async (target) => (await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"x","decision":"apply"}' })).status,
        url,
      )
      expect(status).toBe(403)

      // Another localhost origin may not read the page (Vite's CORS would allow it), and a rebinding host is refused.
      const read = await fetch(`${origin}/__okra/api/state`, { headers: { Origin: 'http://localhost:3000' } })
      expect(read.status).toBe(200)
      expect(read.headers.get('access-control-allow-origin')).toBeNull()
      const { request } = await import('node:http')
      const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${origin}/__okra/`, { headers: { Host: `evil.example:${new URL(origin).port}` } }, (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode!, body: text }))
        })
        req.on('error', reject)
        req.end()
      })
      expect(rebound.status).toBe(403)
      expect(rebound.body).not.toContain(token)
    } finally {
      await stop(running)
    }
  })

  it("with autoSync: 'ask', a destructive change waits in the panel with its row counts; apply backs up first, then applies", async () => {
    const running = await start({ autoSync: 'ask' })
    const { page, origin, schemaFile, lines, root } = running
    const database = join(root, 'dev.db')
    try {
      await waitFor('the first sync', () => lines.some((line) => line.startsWith('[okra] synced: +')))
      await sqliteRun(
        database,
        `INSERT INTO "users" ("id", "email", "name", "bio") VALUES ('u1', 'ada@example.com', 'Ada', 'Countess'), ('u2', 'alan@example.com', 'Alan', 'Codebreaker'), ('u3', 'grace@example.com', 'Grace', NULL);`,
      )
      await page.goto(`${origin}/__okra/`)
      await page.waitForSelector('svg.diagram g.node.model')
      expect(await page.locator('#project').textContent()).toContain('auto-sync: asks first')

      // Dropping bio would lose two values: nothing happens until the developer decides.
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  bio: String?\n', ''))
      await page.waitForSelector('#consents:not([hidden]) article.consent')
      expect(await page.locator('#consents article.consent li').textContent()).toBe("- Removed field 'bio' from User: dropping column users.bio loses 2 non-null values 2 rows")
      expect(await page.locator('#consents').textContent()).toContain('Apply backs up first: a copy of dev.db in .okra/backups/dev-<time>.db.')
      const waiting = lines.find((line) => line.startsWith('[okra] not synced:'))
      expect(waiting).toBe(`[okra] not synced: these changes would lose data, so a decision waits in the dev panel: ${origin}/__okra/\n  - Removed field 'bio' from User: dropping column users.bio loses 2 non-null values`)
      expect((await sqlite<{ name: string }>(database, 'PRAGMA table_info("users")')).map((c) => c.name)).toContain('bio')
      expect(existsSync(join(root, '.okra', 'backups'))).toBe(false)
      // The next migration would drop the column: migrate:lint says so beside the pending changes, with the fix.
      await page.click('.tabs button[data-tab="changes"]')
      await page.waitForSelector('#tab-changes ul.lint li.error')
      expect(await page.locator('#tab-changes ul.lint li.error').textContent()).toBe(
        'error drop-column: field User.bio (column users.bio) is dropped with every value in it' +
          'Stop reading the column first (deploy that), copy its data if it is needed, then drop it in a later migration.',
      )
      await page.click('.tabs button[data-tab="log"]')
      expect(await page.locator('#tab-log ol.log > li.held').first().textContent()).toContain('Not applied: waiting for your decision.')

      await page.click('#consents button[data-decision="apply"]')
      await page.waitForSelector('#consents', { state: 'hidden' })
      await waitFor('the applied sync', () => lines.some((line) => line.startsWith("[okra] synced: - Removed field 'bio' from User")))
      expect((await sqlite<{ name: string }>(database, 'PRAGMA table_info("users")')).map((c) => c.name)).not.toContain('bio')
      expect(await sqlite<{ id: string }>(database, 'SELECT "id" FROM "users" ORDER BY "id"')).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }])
      // The backup holds the column and its values.
      const backups = readdirSync(join(root, '.okra', 'backups'))
      expect(backups).toHaveLength(1)
      expect(await sqlite(join(root, '.okra', 'backups', backups[0]!), 'SELECT "id", "bio" FROM "users" ORDER BY "id"')).toEqual([
        { id: 'u1', bio: 'Countess' },
        { id: 'u2', bio: 'Codebreaker' },
        { id: 'u3', bio: null },
      ])
      await page.waitForSelector('#tab-log ol.log > li.applied .backup')
      expect(await page.locator('#tab-log ol.log > li.applied .backup').first().textContent()).toContain(`backup ${backups[0]!.replace(/\.db$/, '')} (.okra/backups/${backups[0]})`)
      expect(running.errors).toEqual([])
    } finally {
      await stop(running)
    }
  })

  it("with autoSync: 'ask', keep leaves the database as it is and asks no more while the same change is pending", async () => {
    const running = await start({ autoSync: 'ask' })
    const { page, origin, schemaFile, lines, root } = running
    const database = join(root, 'dev.db')
    try {
      await waitFor('the first sync', () => lines.some((line) => line.startsWith('[okra] synced: +')))
      await sqliteRun(database, `INSERT INTO "users" ("id", "email", "name", "bio") VALUES ('u1', 'ada@example.com', 'Ada', 'Countess');`)
      await page.goto(`${origin}/__okra/`)
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  bio: String?\n', ''))
      await page.waitForSelector('#consents:not([hidden]) article.consent')
      expect(await page.locator('#consents .rows').textContent()).toBe(' 1 row')

      await page.click('#consents button[data-decision="keep"]')
      await page.waitForSelector('#consents', { state: 'hidden' })
      await waitFor('the keep line', () => lines.some((line) => line.startsWith('[okra] keeping the database as it is')))
      // Another save with the same destructive change pending: no new question, the log says it was kept.
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  name: String!\n', '  name: String!\n  nickname: String?\n'))
      await page.click('.tabs button[data-tab="log"]')
      await page.waitForSelector('#tab-log ol.log > li.held pre:text("Not applied: you kept the database as it is.")')
      expect(await page.locator('#consents').isHidden()).toBe(true)
      const columns = (await sqlite<{ name: string }>(database, 'PRAGMA table_info("users")')).map((c) => c.name)
      expect(columns).toContain('bio')
      expect(columns).not.toContain('nickname')
      expect(existsSync(join(root, '.okra', 'backups'))).toBe(false)

      // Bringing the field back: the sync goes through, and a later drop asks again.
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  name: String!\n', '  name: String!\n  bio: String?\n'))
      await waitFor('the nickname sync', () => lines.some((line) => line.startsWith("[okra] synced: + Added field 'nickname' to User")))
      writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('  bio: String?\n', ''))
      await page.waitForSelector('#consents:not([hidden]) article.consent')
    } finally {
      await stop(running)
    }
  })
})
