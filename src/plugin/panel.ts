/**
 * The dev panel (`/__okra/`) served for a dev context: the panel's guarded middleware
 * (src/panel/handler.ts) over the context's data (panel-source.ts). The Vite dev server mounts it
 * (vite-server.ts), webpack's and Rspack's dev servers too (dev-servers.ts), and `okra dev --ui` serves it
 * on a port of its own. Only dev servers load this module: a production build never does.
 */
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OkraError } from '../errors'
import { type PanelHandler, type PanelHandlerOptions, PANEL_BASE, createPanelHandler } from '../panel/handler'
import type { OkraContext } from './context'
import { ContextPanelSource } from './panel-source'

export { PANEL_BASE }

export interface ServedPanel {
  /** The middleware: `(req, res, next)`, answering under `/__okra/` and passing anything else on. */
  handler: PanelHandler
  /** Ends the page's event streams and stops following the context. */
  close(): void
}

export function servePanel(ctx: OkraContext, options: PanelHandlerOptions = {}): ServedPanel {
  const source = new ContextPanelSource(ctx)
  const handler = createPanelHandler(source, options)
  return {
    handler,
    close() {
      handler.close()
      source.close()
    },
  }
}

/** The panel's URL on a server at `origin` (`http://localhost:5173`). */
export function panelUrl(origin: string): string {
  return new URL(PANEL_BASE, origin).href
}

/** How many ports from `from` on are tried. */
const PORTS_TRIED = 10

export interface PanelServer {
  url: string
  server: Server
  close(): Promise<void>
}

/**
 * `okra dev --ui`: the panel on its own node:http server on 127.0.0.1 (this machine only), on `exactly`
 * that port (0: any free one), or on the first free port `from` on.
 */
export async function startPanelServer(ctx: OkraContext, where: { exactly: number } | { from: number }): Promise<PanelServer> {
  const panel = servePanel(ctx)
  const server = createServer((req, res) => panel.handler(req, res))
  const port = 'exactly' in where ? where.exactly : undefined
  const ports = 'exactly' in where ? [where.exactly] : Array.from({ length: PORTS_TRIED }, (_, i) => where.from + i)
  for (const [i, candidate] of ports.entries()) {
    try {
      await listen(server, candidate)
      break
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      if (inUse && i < ports.length - 1) continue
      panel.close()
      if (!inUse) throw error
      throw new OkraError(
        port === undefined ? `Ports ${ports[0]} to ${ports.at(-1)} are all in use: the dev panel found no port` : `Port ${candidate} is in use: the dev panel cannot listen on it`,
        'Pass a free port with --port N (0 picks any free port).',
      )
    }
  }
  const url = panelUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  ctx.usePanel(url)
  return {
    url,
    server,
    async close() {
      panel.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      server.off('listening', listening)
      reject(error)
    }
    const listening = () => {
      server.off('error', failed)
      resolve()
    }
    server.once('error', failed)
    server.once('listening', listening)
    server.listen(port, '127.0.0.1')
  })
}
