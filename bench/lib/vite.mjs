/**
 * A real Vite dev server, as a developer runs one, with its log lines (what the developer reads: info,
 * warnings, errors) collected in `lines`: the benchmarks' (with the built plugin) and the tests' (with the
 * plugin from src/) alike.
 */
import { pathToFileURL } from 'node:url'

/** Not listening until `server.listen()`; `server` options go over a free port without websocket. */
export async function viteDevServer(root, plugins, server = {}) {
  const { createServer, createLogger } = await import('vite')
  const lines = []
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

/** With the built OKRA plugin at `vitePlugin` (dist/vite.js), listening on a free port of 127.0.0.1. */
export async function startViteWithOkra(root, vitePlugin) {
  const okra = (await import(pathToFileURL(vitePlugin).href)).default
  const started = await viteDevServer(root, [okra()], { host: '127.0.0.1' })
  await started.server.listen()
  return started
}
