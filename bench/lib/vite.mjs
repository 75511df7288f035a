/**
 * A real Vite dev server on a project folder with the built OKRA plugin (dist/vite.js), as a developer
 * runs one: on a free port, silent, its log lines (what the developer reads) collected in `lines`.
 */
import { pathToFileURL } from 'node:url'

export async function startViteWithOkra(root, vitePlugin) {
  const { createServer, createLogger } = await import('vite')
  const okra = (await import(pathToFileURL(vitePlugin).href)).default
  const lines = []
  const logger = createLogger('silent')
  logger.info = (line) => void lines.push(line)
  logger.warn = (line) => void lines.push(line)
  const server = await createServer({
    root,
    configFile: false,
    customLogger: logger,
    server: { port: 0, host: '127.0.0.1', ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [okra()],
  })
  await server.listen()
  return { server, lines }
}
