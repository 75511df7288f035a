/**
 * The dev panel on the Rspack dev server (@rspack/dev-server), started as `rspack serve` starts it: with
 * the options the config's `devServer` holds once the compiler (and so the plugin) is made. The app is
 * still served beside the panel; a config without `devServer` gets no panel. (webpack-dev-server takes
 * the same `setupMiddlewares` and `onListening` options, through the same code in the plugin.)
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PanelState } from '../../src/panel/protocol'
import okraRspack from '../../src/rspack'
import { makeTempDir } from '../helpers/tmp'
import { USER_SCHEMA, sqliteColumns, waitFor, withField, writeDevProject } from '../plugin/project'

let lines: string[] = []
beforeEach(() => {
  lines = []
  for (const method of ['log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')))
})
afterEach(() => vi.restoreAllMocks())

async function serve(devServer: Record<string, unknown> | undefined) {
  const root = makeTempDir('okra-rspack-serve-')
  writeDevProject(root, USER_SCHEMA, { migrations: { development: { syncDebounce: 20 } } })
  writeFileSync(join(root, 'main.js'), "import { Role } from 'virtual:okra/models'\nglobalThis.__okra = Role\n")
  const { rspack } = await import('@rspack/core')
  const { RspackDevServer } = await import('@rspack/dev-server')
  const compiler = rspack({
    mode: 'development',
    devtool: false,
    context: root,
    entry: './main.js',
    output: { path: join(root, 'out') },
    infrastructureLogging: { level: 'none' },
    ...(devServer ? { devServer: { host: '127.0.0.1', port: 0, hot: false, liveReload: false, client: false, ...devServer } } : {}),
    plugins: [okraRspack()],
  })
  // What `rspack serve` does: the options are the compiler's `devServer`, read after the plugins ran.
  const options = compiler.options.devServer || { host: '127.0.0.1', port: 0, hot: false, liveReload: false, client: false as const }
  const server = new RspackDevServer(options, compiler)
  await server.start()
  const address = server.server!.address() as { port: number }
  return { root, server, origin: `http://127.0.0.1:${address.port}` }
}

describe('the dev panel on the Rspack dev server', () => {
  it('is served beside the app when the config has a devServer section, with its URL printed and the user\'s own hooks kept', async () => {
    const own: string[] = []
    const { root, server, origin } = await serve({
      setupMiddlewares: (middlewares: unknown[]) => {
        own.push('setupMiddlewares')
        return middlewares
      },
      onListening: () => void own.push('onListening'),
    })
    try {
      expect(own).toEqual(['setupMiddlewares', 'onListening'])
      expect(lines).toContain(`[okra] dev panel: ${origin}/__okra/`)
      await waitFor('the first sync', () => lines.some((l) => l.startsWith("[okra] synced: + Added model 'User'")))
      const state = (await (await fetch(`${origin}/__okra/api/state`)).json()) as PanelState
      expect(state.diagram?.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['User', 'Role']))
      expect(state.syncLog[0]?.changes).toEqual(["+ Added model 'User'"])
      const page = await fetch(`${origin}/__okra/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<meta name="okra-token"')
      // The app is still the dev server's.
      expect(await (await fetch(`${origin}/main.js`)).text()).toContain('ADMIN')
      // A state-changing request without the token is refused.
      const refused = await fetch(`${origin}/__okra/api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"id":"x","decision":"apply"}' })
      expect(refused.status).toBe(403)

      // Live: a save shows in the state.
      writeFileSync(join(root, 'models.okra.gql'), withField(USER_SCHEMA, 'phone: String?'))
      await waitFor('the phone column', () => lines.some((l) => l.startsWith("[okra] synced: + Added field 'phone' to User")))
      expect(await sqliteColumns(root, 'users')).toContain('phone')
      const after = (await (await fetch(`${origin}/__okra/api/state`)).json()) as PanelState
      expect(after.diagram?.nodes.find((n) => n.name === 'User')?.rows.map((r) => r.name)).toContain('phone')
      expect(after.syncLog.map((e) => e.changes[0])).toEqual(["+ Added field 'phone' to User", "+ Added model 'User'"])
    } finally {
      await server.stop()
    }
  })

  it('leaves a config without devServer alone', async () => {
    const { server, origin } = await serve(undefined)
    try {
      expect((await fetch(`${origin}/__okra/api/state`)).status).toBe(404)
      expect(lines.some((l) => l.includes('dev panel'))).toBe(false)
    } finally {
      await server.stop()
    }
  })
})
