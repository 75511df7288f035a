/**
 * A PanelSource held in memory, for the panel's own tests: the state is set by the test, every change
 * is announced, and decisions are recorded. (The plugin's source, over its dev context, is tested
 * with the plugin.)
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type PanelHandlerOptions, createPanelHandler } from '../../src/panel/handler'
import type { PanelHandler } from '../../src/panel/handler'
import { type ConsentDecision, type PanelSnapshot, type PanelSource, type PanelTable, PanelRequestError } from '../../src/panel/source'
import { compileSchema } from '../../src/schema/compile'
import type { Schema } from '../../src/schema/types'
import { validFixture } from '../fixtures/valid/load'

export class MemorySource implements PanelSource {
  snapshot: PanelSnapshot
  readonly decisions: { id: string; decision: ConsentDecision }[] = []
  tables = new Map<string, PanelTable>()
  private readonly listeners = new Set<() => void>()

  constructor(schema: Schema | null) {
    this.snapshot = {
      schema,
      problem: null,
      project: {
        name: 'shop',
        env: 'local',
        provider: 'sqlite',
        database: 'sqlite:///tmp/shop/dev.db',
        autoSync: 'on',
        schemaFiles: ['models.okra.gql'],
        generate: {},
      },
      pending: null,
      syncLog: [],
      consents: [],
    }
  }

  current(): PanelSnapshot {
    return this.snapshot
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Changes the state and announces it. */
  set(change: Partial<PanelSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change }
    for (const listener of this.listeners) listener()
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  async decide(id: string, decision: ConsentDecision): Promise<void> {
    if (!this.snapshot.consents.some((c) => c.id === id)) throw new PanelRequestError(404, `No change waits with id ${id}.`)
    this.decisions.push({ id, decision })
    this.set({ consents: this.snapshot.consents.filter((c) => c.id !== id) })
  }

  async table(model: string): Promise<PanelTable> {
    return this.tables.get(model) ?? { table: null }
  }
}

export function schemaOf(text: string): Schema {
  const { schema, diagnostics } = compileSchema([{ path: 'models.okra.gql', text }])
  if (!schema) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return schema
}

export function fixtureSchema(name: string): Schema {
  const { schema, diagnostics } = compileSchema(validFixture(name).sources)
  if (!schema) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return schema
}

export interface PanelServer {
  server: Server
  handler: PanelHandler
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** The page's URL. */
  url: string
  close(): Promise<void>
}

/** A real node:http server with the panel's handler, on 127.0.0.1 (a free port unless `port` is given); anything outside the panel is answered 404 by `next`. */
export async function startPanelServer(source: PanelSource, options: PanelHandlerOptions = {}, port = 0): Promise<PanelServer> {
  const handler = createPanelHandler(source, options)
  const server = createServer((req, res) =>
    handler(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain' })
      res.end('outside the panel')
    }),
  )
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    server,
    handler,
    origin,
    url: `${origin}${handler.base}`,
    async close() {
      handler.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
