/**
 * The dev panel on webpack-dev-server and the Rspack dev server. Both read their options from the
 * compiler's `devServer` after the compiler is made (`webpack serve`, `rspack serve`, and code that passes
 * `compiler.options.devServer` on), so the plugin adds its middleware through `devServer.setupMiddlewares`
 * and prints the panel's URL from `devServer.onListening`, each time after whatever the config set there.
 *
 * Only a config that has a `devServer` section gets the panel (`devServer: {}` is enough): creating the
 * section in every config would make `webpack serve` start one dev server per config of a config array.
 * A build that is not served never calls these hooks, and loads nothing of the panel.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PANEL_BASE } from '../panel/protocol'
import type { OkraContext } from './context'
import type { ServedPanel } from './panel'

type Next = (error?: unknown) => void
type Middleware = ((req: IncomingMessage, res: ServerResponse, next: Next) => void) | { name?: string; path?: string; middleware: unknown }

/** What the plugin reads and sets of webpack-dev-server's and the Rspack dev server's options (the same in both). */
interface DevServerOptions {
  host?: string
  allowedHosts?: string | string[]
  server?: string | { type?: string }
  setupMiddlewares?: (middlewares: Middleware[], devServer: DevServerLike) => Middleware[]
  onListening?: (devServer: DevServerLike) => void
}

interface DevServerLike {
  server?: { address(): AddressInfo | string | null; once(event: 'close', listener: () => void): unknown }
}

/** `/__okra`, `/__okra/...`, `/__okra?...`: what the panel answers (the bare path is redirected to the base). */
function panelPath(url: string): boolean {
  const bare = PANEL_BASE.slice(0, -1)
  return url.startsWith(PANEL_BASE) || url === bare || url.startsWith(`${bare}?`)
}

export function servePanelOnDevServer(compilerOptions: { devServer?: unknown }, ctx: OkraContext): void {
  const options = compilerOptions.devServer
  if (options === null || typeof options !== 'object') return
  const devServer = options as DevServerOptions
  let panel: Promise<ServedPanel> | undefined

  const setupMiddlewares = devServer.setupMiddlewares
  devServer.setupMiddlewares = (middlewares, server) => {
    const list = setupMiddlewares ? setupMiddlewares(middlewares, server) : middlewares
    // The full URL is known once the server listens; until then the terminal names the path.
    ctx.usePanel(PANEL_BASE)
    // The panel's modules load now, while the server starts; requests wait for them.
    panel ??= import('./panel').then(({ servePanel }) => {
      const served = servePanel(ctx, { allowedHosts: allowedHostsOf(devServer) })
      server.server?.once('close', () => served.close())
      return served
    })
    const loaded = panel
    const middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => {
      if (!panelPath(req.url ?? '')) return next()
      loaded.then((served) => served.handler(req, res, next), next)
    }
    // First, so the app's own middlewares (an SPA fallback, a proxy) never see the panel's paths.
    return [middleware, ...list]
  }

  const onListening = devServer.onListening
  devServer.onListening = (server) => {
    onListening?.(server)
    const address = server.server?.address()
    if (!address || typeof address === 'string') return
    const url = `${secure(devServer) ? 'https' : 'http'}://${hostOf(devServer)}:${address.port}${PANEL_BASE}`
    ctx.usePanel(url)
    ctx.log.info(`[okra] dev panel: ${url}`)
  }
}

/** The dev server's `allowedHosts` ('all': any; 'auto': localhost and `host`) in the panel's terms. */
function allowedHostsOf(options: DevServerOptions): readonly string[] | true {
  const { allowedHosts, host } = options
  if (allowedHosts === 'all') return true
  const listed = Array.isArray(allowedHosts) ? allowedHosts : typeof allowedHosts === 'string' && allowedHosts !== 'auto' ? [allowedHosts] : []
  return [...listed, ...(host && !['local-ip', 'local-ipv4', 'local-ipv6', '0.0.0.0', '::'].includes(host) ? [host] : [])]
}

function hostOf(options: DevServerOptions): string {
  const host = options.host
  if (!host || ['0.0.0.0', '::', 'local-ip', 'local-ipv4', 'local-ipv6'].includes(host)) return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

function secure(options: DevServerOptions): boolean {
  const type = typeof options.server === 'string' ? options.server : options.server?.type
  return type !== undefined && type !== 'http'
}
