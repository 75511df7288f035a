/**
 * A real Vite dev server for a test, as a developer runs one, with its log lines (what the developer reads:
 * info, warnings, errors) collected in `lines`. Not listening until the test calls `server.listen()`.
 */
import type { PluginOption, ServerOptions, ViteDevServer } from 'vite'

export async function viteDevServer(root: string, plugins: PluginOption[], server: ServerOptions = {}): Promise<{ server: ViteDevServer; lines: string[] }> {
  const { createServer, createLogger } = await import('vite')
  const lines: string[] = []
  const logger = createLogger('silent')
  logger.info = (line) => void lines.push(line)
  logger.warn = (line) => void lines.push(line)
  logger.error = (line) => void lines.push(line)
  const dev = await createServer({
    root,
    configFile: false,
    customLogger: logger,
    server: { port: 0, ws: false, ...server },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins,
  })
  return { server: dev, lines }
}
