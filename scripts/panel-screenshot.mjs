#!/usr/bin/env node
/**
 * Makes docs/panel.png, the README's picture of the dev panel: the built CLI's `okra dev --ui` on a copy
 * of the 38-model commerce example (test/fixtures/valid/commerce), opened in headless Chromium
 * (/usr/bin/chromium, or OKRA_TEST_CHROMIUM) with one model selected. Run `npm run build` first.
 *
 *   node scripts/panel-screenshot.mjs [out.png]
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const repo = fileURLToPath(new URL('..', import.meta.url))
const out = process.argv[2] ?? join(repo, 'docs', 'panel.png')
const cli = join(repo, 'dist', 'okra.cjs')
const browserPath = process.env.OKRA_TEST_CHROMIUM ?? '/usr/bin/chromium'
if (!existsSync(cli)) throw new Error('dist/okra.cjs is missing: run npm run build first')

const scratch = mkdtempSync(join(tmpdir(), 'okra-panel-shot-'))
const project = join(scratch, 'shop')
cpSync(join(repo, 'test', 'fixtures', 'valid', 'commerce'), join(project, 'schema'), { recursive: true })
writeFileSync(
  join(project, 'okra.config.json'),
  JSON.stringify({ database: { provider: 'sqlite', url: 'sqlite://./dev.db', schemas: ['./schema/*.okra.gql'] }, generate: { typescript: { out: './src/generated/models.ts' } } }),
)

const child = spawn(process.execPath, [cli, 'dev', '--ui', '--port', '0'], { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] })
let stderr = ''
const url = await new Promise((resolve, reject) => {
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk
    const found = /\[okra\] dev panel: (\S+)/.exec(stderr)
    if (found && stderr.includes('[okra] synced:')) resolve(found[1])
  })
  child.on('exit', (code) => reject(new Error(`okra dev exited with ${code}:\n${stderr}`)))
})

const profile = mkdtempSync(join(tmpdir(), 'okra-chromium-'))
const context = await chromium.launchPersistentContext(profile, {
  executablePath: browserPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 720 },
})
try {
  const page = await context.newPage()
  await page.goto(url)
  await page.waitForSelector('svg.diagram g.node.model')
  // Product, selected: its box in view at a readable size, its fields, code and table beside it.
  await page.locator('#search').fill('Product')
  await page.keyboard.press('Enter')
  await page.waitForSelector('#tab-model .db-table table')
  await page.waitForTimeout(1700) // the highlight's animation
  await page.screenshot({ path: out })
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`)
} finally {
  await context.close()
  rmSync(profile, { recursive: true, force: true })
  child.kill('SIGINT')
  await new Promise((resolve) => child.on('exit', resolve))
  rmSync(scratch, { recursive: true, force: true })
}
