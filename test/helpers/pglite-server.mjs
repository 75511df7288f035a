// PGlite and its socket server on a thread of their own: a test that blocks its thread (spawnSync of an
// okra process that connects to this server) must not stop the server from answering that process.
import { parentPort } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

const db = await PGlite.create()
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 64 })
await server.start()
parentPort.postMessage({ conn: server.getServerConn() })
parentPort.on('message', async (message) => {
  if (message !== 'stop') return
  await server.stop()
  await db.close()
  parentPort.close()
})
