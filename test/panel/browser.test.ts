/**
 * The dev panel in a real browser (headless Chromium) against a real node:http server with the
 * panel's handler and the built page (dist/panel/ui): what a developer sees and does.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticSources } from '../../bench/lib/synthetic.mjs'
import { compileSchema } from '../../src/schema/compile'
import { type Browser, launchBrowser } from './browser'
import { MemorySource, type PanelServer, fixtureSchema, schemaOf, startPanelServer } from './memory-source'

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts')

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

/** Opens the panel of `source` in a new page; every request the page makes is recorded. */
async function open(source: MemorySource): Promise<{ page: Page; server: PanelServer; requests: string[]; errors: string[] }> {
  const server = await startPanelServer(source)
  const page = await browser.context.newPage()
  const requests: string[] = []
  const errors: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(server.url)
  return { page, server, requests, errors }
}

async function closeAll(page: Page, server: PanelServer): Promise<void> {
  await page.close()
  await server.close()
}

const modelNames = (page: Page) => page.$$eval('svg.diagram g.node.model', (nodes) => nodes.map((n) => n.getAttribute('data-name')!).sort())
const rowNames = (page: Page, model: string) => page.$$eval(`svg.diagram g.node[data-name="${model}"] .row .field`, (texts) => texts.map((t) => t.textContent))

describe('the dev panel in a browser', () => {
  it('draws every model and relation of the 38-model commerce schema (screenshot in test-artifacts/)', async () => {
    const schema = fixtureSchema('commerce')
    const { page, server, requests, errors } = await open(new MemorySource(schema))
    try {
      await page.waitForSelector('svg.diagram g.node.model')
      expect(await modelNames(page)).toEqual(schema.models.map((m) => m.name).sort())
      expect(await page.$$eval('svg.diagram g.node.enum', (nodes) => nodes.length)).toBe(schema.enums.length)
      expect(await page.$$eval('svg.diagram g.node.join', (nodes) => nodes.length)).toBe(schema.joinTables.length)
      const foreignKeys = schema.models.reduce((sum, m) => sum + m.foreignKeys.length, 0)
      expect(await page.$$eval('svg.diagram g.edge', (edges) => edges.length)).toBe(foreignKeys + 2 * schema.joinTables.length)
      // The delete rule is written beside the keys whose deletion does something.
      expect(new Set(await page.$$eval('svg.diagram g.edge .rule', (labels) => labels.map((l) => l.textContent)))).toEqual(new Set(['cascade', 'set null', 'set default']))
      // Nothing but the dev server was asked for anything.
      expect(requests.filter((url) => !url.startsWith(server.origin))).toEqual([])
      expect(errors).toEqual([])
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'panel-commerce.png') })
      // And at full size around Product, rows and all.
      await page.locator('#search').fill('Product')
      await page.keyboard.press('Enter')
      await expect.poll(() => rowNames(page, 'Product')).toContain('coverImageId')
      await page.waitForTimeout(1700) // the highlight's animation
      await page.screenshot({ path: join(ARTIFACTS, 'panel-commerce-detail.png') })
    } finally {
      await closeAll(page, server)
    }
  })

  it('finds a model by name, brings it into view and shows its fields, code and table', async () => {
    const source = new MemorySource(fixtureSchema('commerce'))
    source.snapshot.project.generate = { go: { package: 'shop' } }
    source.tables.set('Warehouse', {
      table: { name: 'warehouses', columns: [{ name: 'id', type: 'TEXT', nullable: false, default: null, autoincrement: false, updatedAt: false }], primaryKey: ['id'], indexes: [], foreignKeys: [] },
    })
    const { page, server, errors } = await open(source)
    try {
      await page.waitForSelector('svg.diagram g.node.model')
      await page.press('body', '/')
      await page.keyboard.type('wareh')
      await page.waitForSelector('#matches li[data-id="model:Warehouse"]')
      await page.keyboard.press('Enter')
      await page.waitForSelector('svg.diagram g.node.selected[data-name="Warehouse"]')
      // In view: the box lies inside the diagram's area, at a readable size.
      const canvas = (await page.locator('#canvas').boundingBox())!
      const box = (await page.locator('svg.diagram g.node[data-name="Warehouse"] rect.box').boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(canvas.x)
      expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width)
      expect(box.y).toBeGreaterThanOrEqual(canvas.y)
      expect(Number(await page.locator('svg.diagram').getAttribute('data-zoom'))).toBeGreaterThanOrEqual(1)
      // Its fields, then (fetched) its generated code and its table.
      await expect.poll(() => page.locator('#tab-model h2').textContent()).toBe('Warehouse')
      const fields = await page.$$eval('#tab-model table.model-fields tbody tr', (rows) => rows.map((r) => r.getAttribute('data-field')))
      expect(fields).toEqual(source.snapshot.schema!.models.find((m) => m.name === 'Warehouse')!.fields.map((f) => f.name))
      await page.waitForSelector('#tab-model pre.code')
      expect(await page.locator('#tab-model pre.code').textContent()).toMatch(/^export interface Warehouse \{/)
      await page.click('#tab-model .subtabs button[data-language="go"]')
      expect(await page.locator('#tab-model pre.code').textContent()).toMatch(/^type Warehouse struct \{/)
      expect(await page.locator('#tab-model .db-table').textContent()).toContain('warehouses')
      expect(errors).toEqual([])
    } finally {
      await closeAll(page, server)
    }
  })

  it('shows the fields of a model that is clicked', async () => {
    const { page, server } = await open(new MemorySource(fixtureSchema('commerce')))
    try {
      await page.waitForSelector('svg.diagram g.node.model')
      await page.click('#canvas .zoom button[title="Zoom in"]')
      // Bring Product into view, deselect it, and click it like a person.
      await page.locator('#search').focus()
      await page.keyboard.type('Product')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Escape')
      await expect.poll(() => page.locator('#tab-model .hint').count()).toBe(1)
      await page.locator('svg.diagram g.node[data-name="Product"] text.name').click()
      await expect.poll(() => page.locator('#tab-model h2').textContent()).toBe('Product')
      const fields = await page.$$eval('#tab-model table.model-fields tbody tr', (rows) => rows.map((r) => r.getAttribute('data-field')))
      expect(fields).toContain('coverImageId')
      expect(fields).toContain('deletedAt')
      expect(await page.locator('#tab-model').textContent()).toContain('organization → Organization: many-to-one, on delete Cascade')
    } finally {
      await closeAll(page, server)
    }
  })

  it('zooms with the wheel around the pointer and pans by dragging', async () => {
    const { page, server } = await open(new MemorySource(fixtureSchema('commerce')))
    try {
      await page.waitForSelector('svg.diagram g.node.model')
      const zoom = async () => Number(await page.locator('svg.diagram').getAttribute('data-zoom'))
      const transform = () => page.locator('svg.diagram g.viewport').getAttribute('transform')
      const canvas = (await page.locator('#canvas').boundingBox())!
      const fitted = await zoom()
      // Zoomed out to the whole diagram, boxes show their names only.
      expect(await page.locator('svg.diagram').getAttribute('class')).toContain('overview')
      const view = async () => {
        const [, x, y, k] = /translate\(([-\d.]+) ([-\d.]+)\) scale\(([\d.]+)\)/.exec((await transform())!)!.map(Number)
        return { x: x!, y: y!, k: k! }
      }
      // The diagram's point under the pointer, in layout coordinates.
      const pointer = { x: canvas.width * 0.3, y: canvas.height * 0.6 }
      const under = async () => {
        const { x, y, k } = await view()
        return { x: (pointer.x - x) / k, y: (pointer.y - y) / k }
      }
      const spot = await under()
      await page.mouse.move(canvas.x + pointer.x, canvas.y + pointer.y)
      await page.mouse.wheel(0, -600)
      await expect.poll(zoom).toBeGreaterThan(fitted * 2)
      // Zoomed around the pointer: the same point of the diagram stays under it.
      const after = await under()
      expect(Math.abs(after.x - spot.x)).toBeLessThan(2)
      expect(Math.abs(after.y - spot.y)).toBeLessThan(2)
      // Readable now: the rows of the boxes in view are drawn.
      await expect.poll(() => page.locator('svg.diagram').getAttribute('class')).not.toContain('overview')
      await expect.poll(() => page.locator('svg.diagram g.node .row').count()).toBeGreaterThan(0)
      await page.mouse.wheel(0, 300)
      await expect.poll(zoom).toBeLessThan(fitted * 4)

      const before = await transform()
      await page.mouse.move(canvas.x + 100, canvas.y + 100)
      await page.mouse.down()
      await page.mouse.move(canvas.x + 260, canvas.y + 180, { steps: 5 })
      await page.mouse.up()
      const moved = /translate\(([-\d.]+) ([-\d.]+)\)/.exec((await transform())!)!
      const was = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(before!)!
      expect(Number(moved[1]) - Number(was[1])).toBeCloseTo(160, 0)
      expect(Number(moved[2]) - Number(was[2])).toBeCloseTo(80, 0)
      // A drag is no click: nothing got selected.
      expect(await page.locator('svg.diagram g.node.selected').count()).toBe(0)
    } finally {
      await closeAll(page, server)
    }
  })

  it('shows a new field as soon as the schema changes, without a reload; a problem shows its frame and the diagram stays', async () => {
    const text = `
      model User {
        id: ID! @default(uuid)
        email: String! @unique
      }
    `
    const source = new MemorySource(schemaOf(text))
    const { page, server } = await open(source)
    try {
      await page.waitForSelector('svg.diagram g.node[data-name="User"]')
      expect(await rowNames(page, 'User')).toEqual(['id', 'email'])
      // Something only this page load has: a reload would lose it.
      await page.evaluate('window.loadedOnce = true')

      source.set({ schema: schemaOf(text.replace('email: String! @unique', 'email: String! @unique\n        phone: String?')) })
      await expect.poll(() => rowNames(page, 'User')).toEqual(['id', 'email', 'phone'])

      source.set({
        problem: {
          text: "models.okra.gql:5:16 error: Unknown type 'Strin'\nhint: Did you mean 'String'?",
          frame: '5 |         phone: Strin?\n  |                ^',
          file: 'models.okra.gql',
          line: 5,
          column: 16,
        },
      })
      await page.waitForSelector('#problem:not([hidden]) pre.frame')
      expect(await page.locator('#problem pre.frame').textContent()).toBe('5 |         phone: Strin?\n  |                ^')
      expect(await page.locator('#problem .where').textContent()).toBe('models.okra.gql:5:16')
      expect(await page.locator('#problem').textContent()).toContain("Did you mean 'String'?")
      // The last valid diagram stays.
      expect(await rowNames(page, 'User')).toEqual(['id', 'email', 'phone'])

      source.set({ problem: null })
      await page.waitForSelector('#problem', { state: 'hidden' })
      expect(await page.evaluate('window.loadedOnce')).toBe(true)
    } finally {
      await closeAll(page, server)
    }
  })

  it('shows pending changes, the sync log and a waiting decision, and sends the decision with its token', async () => {
    const source = new MemorySource(fixtureSchema('one-to-many'))
    const { page, server, errors } = await open(source)
    try {
      await page.waitForSelector('svg.diagram g.node')
      source.set({
        pending: {
          hasSnapshot: true,
          summaries: ["+ Added field 'phone' to User", "- Removed field 'fax' from User"],
          sql: [{ provider: 'sqlite', statements: ['ALTER TABLE "users" ADD COLUMN "phone" TEXT;', 'ALTER TABLE "users" DROP COLUMN "fax";'] }],
          destructive: [{ summary: "- Removed field 'fax' from User", destroys: 'dropping column users.fax loses non-null values' }],
          lint: [{ severity: 'warning', message: 'Dropping a column loses its data.', hint: 'Keep it until nothing reads it.' }],
          warnings: [],
        },
        syncLog: [
          { id: 's2', at: '2026-01-01T10:00:05.000Z', durationMs: 4, changes: ["+ Added field 'phone' to User"], backup: '.okra/backups/20260101-100005-000.db' },
          { id: 's1', at: '2026-01-01T10:00:00.000Z', durationMs: 2, changes: [], error: 'database is locked' },
        ],
        consents: [{ id: 'c7', since: '2026-01-01T10:00:06.000Z', changes: [{ line: "- Removed field 'fax' from User: dropping column users.fax loses 1,200 non-null values", count: 1200 }], backup: 'a copy of dev.db in .okra/backups/' }],
      })
      await page.waitForSelector('#consents:not([hidden]) article.consent[data-id="c7"]')
      expect(await page.locator('#consents .rows').textContent()).toBe(' 1,200 rows')
      expect(await page.locator('#changes-count').textContent()).toBe('2')
      await page.click('.tabs button[data-tab="changes"]')
      expect(await page.locator('#tab-changes li.destructive').textContent()).toContain('⚠ dropping column users.fax loses non-null values')
      expect(await page.locator('#tab-changes').textContent()).toContain('ALTER TABLE "users" DROP COLUMN "fax";')
      await page.click('.tabs button[data-tab="log"]')
      expect(await page.$$eval('#tab-log ol.log > li', (items) => items.map((i) => `${i.getAttribute('data-id')} ${i.className}`))).toEqual(['s2 applied', 's1 failed'])
      expect(await page.locator('#tab-log li[data-id="s2"] .backup').textContent()).toBe('backup: .okra/backups/20260101-100005-000.db')

      await page.click('#consents button[data-decision="apply"]')
      await page.waitForSelector('#consents', { state: 'hidden' })
      expect(source.decisions).toEqual([{ id: 'c7', decision: 'apply' }])
      expect(errors).toEqual([])
    } finally {
      await closeAll(page, server)
    }
  })

  it('reloads itself when the dev server restarts, so its token is the new server\'s', async () => {
    const source = new MemorySource(fixtureSchema('one-to-many'))
    const { page, server } = await open(source)
    const port = Number(new URL(server.origin).port)
    let restarted: PanelServer | undefined
    try {
      await page.waitForSelector('svg.diagram g.node')
      const oldToken = await page.locator('meta[name="okra-token"]').getAttribute('content')
      await server.close()
      const reloaded = page.waitForEvent('load')
      restarted = await startPanelServer(source, {}, port)
      await reloaded
      expect(await page.locator('meta[name="okra-token"]').getAttribute('content')).toBe(restarted.handler.token)
      expect(restarted.handler.token).not.toBe(oldToken)
      // A decision now goes through with the new token.
      source.set({ consents: [{ id: 'c9', since: '2026-01-01T00:00:00.000Z', changes: [{ line: "- Removed model 'Draft'", count: 2 }], backup: 'a copy of dev.db' }] })
      await page.click('#consents button[data-decision="keep"]')
      await expect.poll(() => source.decisions).toEqual([{ id: 'c9', decision: 'keep' }])
    } finally {
      await page.close()
      await restarted?.close()
    }
  })

  it('draws 200 models; prints how long the first paint took', async () => {
    const { schema } = compileSchema(syntheticSources(200))
    const server = await startPanelServer(new MemorySource(schema))
    const page = await browser.context.newPage()
    try {
      const started = performance.now()
      await page.goto(server.url)
      await page.waitForFunction("document.querySelectorAll('svg.diagram g.node.model').length === 200")
      const firstPaint = performance.now() - started
      const diagram = page.locator('svg.diagram')
      const [layoutMs, renderMs] = [await diagram.getAttribute('data-layout-ms'), await diagram.getAttribute('data-render-ms')]
      const [firstState, painted] = [await page.locator('body').getAttribute('data-first-state'), await page.locator('body').getAttribute('data-first-paint')]
      console.log(
        `panel, 200 models: diagram drawn ${painted} ms after navigation by the page's clock (state arrived at ${firstState} ms; layout ${layoutMs} ms, drawing ${renderMs} ms); ${firstPaint.toFixed(0)} ms by the test's clock`,
      )
      expect(await page.$$eval('svg.diagram g.node.model', (nodes) => nodes.length)).toBe(200)
    } finally {
      await closeAll(page, server)
    }
  })
})
