/**
 * The Vite dev server side of the plugin: schema files are followed by Vite's own watcher (and by OKRA's,
 * which sees atomic saves sooner: unplugin.ts), a new virtual module goes out as an HMR update, and a
 * schema error goes to the error overlay (cleared by a reload once the schema is valid again). The dev panel is mounted at `/__okra/`, after Vite's
 * own host check and before anything else of Vite's, and its URL printed beside Vite's.
 */
import { isIP } from 'node:net'
import { relative } from 'node:path'
import type { ViteDevServer } from 'vite'
import type { OkraContext } from './context'
import type { OkraProblem } from '../problems'
import { PANEL_BASE, panelUrl, servePanel } from './panel'

const SETTLE_MS = 80

export function attachToViteServer(server: ViteDevServer, ctx: OkraContext, resolvedId: string): void {
  // Vite watches its root; schema files or folders outside it must be added.
  const outside = [...ctx.watchFiles(), ...ctx.watchDirectories().dirs, ...ctx.watchDirectories().trees].filter((path) =>
    relative(ctx.root, path).startsWith('..'),
  )
  if (outside.length > 0) server.watcher.add(outside)

  // Vite's watcher (chokidar) drops a second change of a file within 50 ms of the first, so every
  // change is looked at again a little later: a compile happens only if the files differ by then.
  let settle: NodeJS.Timeout | undefined
  const onFileEvent = (file: string) => {
    if (!ctx.isWatchedFile(file)) return
    void ctx.refresh()
    clearTimeout(settle)
    settle = setTimeout(() => void ctx.refresh(), SETTLE_MS)
  }
  server.watcher.on('add', onFileEvent)
  server.watcher.on('change', onFileEvent)
  server.watcher.on('unlink', onFileEvent)

  ctx.on('update', () => reloadVirtualModule(server, resolvedId))
  ctx.on('problem', (problem) => server.ws.send({ type: 'error', err: overlayError(problem) }))
  // The overlay stays until the page reloads or an update arrives; the update may not concern this page.
  ctx.on('recovered', () => server.ws.send({ type: 'full-reload', path: '*' }))
}

/**
 * The dev panel as a middleware of the dev server. Called from `configureServer` (not from the hook it
 * returns), so the panel answers before Vite's own middlewares, yet after its host check.
 */
export function mountPanel(server: ViteDevServer, ctx: OkraContext): void {
  const panel = servePanel(ctx, { allowedHosts: viteAllowedHosts(server) })
  server.middlewares.use(panel.handler)
  // Without an HTTP server of its own (middleware mode) the panel is under whatever server mounts Vite's.
  ctx.usePanel(PANEL_BASE)
  const url = () => {
    const local = server.resolvedUrls?.local[0]
    if (local) return panelUrl(new URL(local).origin)
    // Vite resolves its URLs a moment after the server listens: the same origin, from the address.
    const address = server.httpServer?.address()
    if (!address || typeof address === 'string') return undefined
    const { host, https } = server.config.server
    const name = typeof host === 'string' && host !== '' && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'
    return panelUrl(`${https ? 'https' : 'http'}://${isIP(name) === 6 ? `[${name}]` : name}:${address.port}`)
  }
  server.httpServer?.once('listening', () => ctx.usePanel(url() ?? PANEL_BASE))
  server.httpServer?.once('close', () => panel.close())
  // Vite prints its URLs once the server listens (and again on `u`): the panel's goes right under them.
  const printUrls = server.printUrls.bind(server)
  server.printUrls = () => {
    printUrls()
    const found = url()
    if (found) server.config.logger.info(`  ➜  OKRA:    ${found}`)
  }
}

/** The hosts Vite answers for: its `server.allowedHosts`, and `server.host` when that is a name. */
function viteAllowedHosts(server: ViteDevServer): readonly string[] | true {
  const { allowedHosts, host } = server.config.server
  if (allowedHosts === true) return true
  return [...allowedHosts, ...(typeof host === 'string' && isIP(host) === 0 && host !== '' ? [host] : [])]
}

/**
 * Vite's own HMR for the module (an update where a module accepts it, else a page reload). Vite logs
 * the module's `file`, which for a virtual module is its resolved id with the `\0` that marks it as
 * virtual: while Vite reads it (synchronously, inside reloadModule), the file is the id as imported.
 */
function reloadVirtualModule(server: ViteDevServer, resolvedId: string): void {
  for (const environment of Object.values(server.environments)) {
    const mod = environment.moduleGraph.getModuleById(resolvedId)
    if (!mod) continue
    const file = mod.file
    mod.file = resolvedId.replace(/^\0/, '')
    try {
      void environment.reloadModule(mod)
    } finally {
      mod.file = file
    }
  }
}

/** The shape Vite's overlay reads (ErrorPayload['err']). */
export function overlayError(problem: OkraProblem) {
  return {
    message: problem.text,
    stack: '',
    plugin: 'unplugin-okra',
    ...(problem.loc ? { id: problem.loc.file, loc: problem.loc } : {}),
    ...(problem.frame ? { frame: problem.frame } : {}),
  }
}
