/**
 * The panel's server over a real node:http server: the page and its token, the state, the event
 * stream, the model details, and the rules for requests that change something.
 */
import { request, type IncomingMessage } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { hostAllowed } from '../../src/panel/guard'
import type { ModelDetails, PanelState } from '../../src/panel/protocol'
import { MemorySource, type PanelServer, schemaOf, startPanelServer } from './memory-source'

const SCHEMA = `
  model User {
    id: ID! @default(uuid)
    email: String! @unique
    posts: [Post!]!
  }
  model Post {
    id: ID! @default(uuid)
    title: String!
    authorId: ID!
    author: User! @relation(fields: [authorId], references: [id], onDelete: Cascade)
  }
`

interface Reply {
  status: number
  headers: IncomingMessage['headers']
  body: string
}

/** One HTTP request with exactly these headers (Host and Origin included, as a browser or an attacker would send them). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

let panel: PanelServer | undefined
let source: MemorySource

async function start(options: Parameters<typeof startPanelServer>[1] = {}): Promise<PanelServer> {
  source = new MemorySource(schemaOf(SCHEMA))
  source.snapshot.consents = [{ id: 'c1', since: '2026-01-01T00:00:00.000Z', changes: [{ line: "- Removed field 'fax' from User", count: 3 }], backup: 'a copy of dev.db in .okra/backups/' }]
  panel = await startPanelServer(source, options)
  return panel
}

afterEach(async () => {
  await panel?.close()
  panel = undefined
})

/** A POST as the panel's own page sends it. */
function pagePost(p: PanelServer, body: unknown, headers: Record<string, string> = {}) {
  return send(`${p.url}api/consent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: p.origin, 'Sec-Fetch-Site': 'same-origin', 'x-okra-token': p.handler.token, ...headers },
    body: JSON.stringify(body),
  })
}

describe('the page', () => {
  it('is served with the per-server token in it, a strict content policy, and never cached', async () => {
    const p = await start()
    const page = await send(p.url)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(p.handler.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(page.body).toContain(`<meta name="okra-token" content="${p.handler.token}">`)
    expect(page.body).toContain('<meta name="okra-base" content="/__okra/">')
    expect(page.body).not.toContain('%OKRA_')
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self'")
    expect(page.headers['cache-control']).toBe('no-store')
    // Its script and style come from the package's built folder.
    const script = await send(`${p.url}app.js`)
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toMatch(/^text\/javascript/)
    expect((await send(`${p.url}app.css`)).headers['content-type']).toMatch(/^text\/css/)
  })

  it('carries the current state, safely: text from the schema cannot end the script element', async () => {
    const p = await start()
    const hostile = `</script><script>alert(1)</script> <!-- $& $' $$`
    source.set({ schema: schemaOf(`"${hostile}"\nmodel Note { id: ID! @default(uuid) }`) })
    const page = (await send(p.url)).body
    expect(page).not.toContain('<script>alert(1)')
    expect(page).not.toContain('<!-- $&')
    const embedded = /<script type="application\/json" id="okra-state">(.*?)<\/script>/s.exec(page)![1]!
    const state = JSON.parse(embedded) as PanelState
    expect(state.diagram!.nodes[0]!.description).toBe(hostile)
    expect(state.version).toBe((JSON.parse((await send(`${p.url}api/state`)).body) as PanelState).version)
  })

  it('differs in token from one server to the next', async () => {
    const first = await start()
    const other = await startPanelServer(new MemorySource(null))
    try {
      expect(other.handler.token).not.toBe(first.handler.token)
    } finally {
      await other.close()
    }
  })

  it('redirects the base without its slash, serves only files of the built folder, and passes everything else on', async () => {
    const p = await start()
    const bare = await send(`${p.origin}/__okra`)
    expect(bare.status).toBe(301)
    expect(bare.headers.location).toBe('/__okra/')
    for (const path of ['..%2Fpackage.json', '../package.json', 'nothing.js', '%2e%2e/%2e%2e/package.json']) {
      expect((await send(`${p.url}${path}`)).status, path).toBe(404)
    }
    const outside = await send(`${p.origin}/src/main.ts`)
    expect(outside).toMatchObject({ status: 404, body: 'outside the panel' })
  })
})

describe('GET api/state', () => {
  it('gives the diagram of the last valid schema, the project, and the problem, and keeps the diagram while there is a problem', async () => {
    const p = await start()
    const first = JSON.parse((await send(`${p.url}api/state`)).body) as PanelState
    expect(first.diagram!.nodes.map((n) => n.id)).toEqual(['model:Post', 'model:User'])
    expect(first.diagram!.edges).toMatchObject([{ id: 'Post.author', cardinality: '1-n', onDelete: 'Cascade' }])
    expect(first).toMatchObject({ problem: null, pending: null, syncLog: [], project: { name: 'shop', provider: 'sqlite' } })
    expect(first.schemaHash).toMatch(/^[0-9a-f]{64}$/)

    source.set({ problem: { text: "models.okra.gql:3:10 error: Unknown type 'Strin'", frame: "3 |   email: Strin!\n  |          ^", file: 'models.okra.gql', line: 3, column: 10 } })
    const second = JSON.parse((await send(`${p.url}api/state`)).body) as PanelState
    expect(second.version).toBeGreaterThan(first.version)
    expect(second.problem).toMatchObject({ file: 'models.okra.gql', line: 3, frame: expect.stringContaining('^') })
    expect(second.diagram).toEqual(first.diagram)
    expect(second.schemaHash).toBe(first.schemaHash)
  })

  it('never lets a password through, whatever the source hands it', async () => {
    const p = await start()
    source.set({
      project: { ...source.snapshot.project, provider: 'postgres', database: 'postgres://app:s3cret-pw@db.internal:5432/shop' },
      problem: { text: 'could not connect to postgres://app:s3cret-pw@db.internal:5432/shop?sslpassword=other-secret' },
      syncLog: [{ id: '1', at: '2026-01-01T00:00:00.000Z', durationMs: 3, changes: [], error: 'failed at postgresql://app:s3cret-pw@db.internal/shop' }],
    })
    const body = (await send(`${p.url}api/state`)).body
    expect(body).not.toContain('s3cret-pw')
    expect(body).not.toContain('other-secret')
    expect((JSON.parse(body) as PanelState).project.database).toBe('postgres://app:***@db.internal:5432/shop')
  })
})

/** The first state event of a new stream; `then` runs once the stream is open. */
function firstEvent(url: string, then?: () => void): Promise<PanelState> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let buffer = ''
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk
        const match = /event: state\ndata: (.*)\n\n/.exec(buffer)
        if (match) {
          req.destroy()
          resolve(JSON.parse(match[1]!) as PanelState)
        }
      })
      then?.()
    })
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)))
    req.end()
  })
}

describe('GET api/events', () => {
  it('sends the state at once and again after every change', async () => {
    const p = await start()
    const events: PanelState[] = []
    let waiting: (() => void) | undefined
    const req = request(`${p.url}api/events`)
    const opened = new Promise<IncomingMessage>((resolve) => req.on('response', resolve))
    req.end()
    const res = await opened
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    let buffer = ''
    res.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (!block.startsWith('event: state\n')) continue
        events.push(JSON.parse(block.slice(block.indexOf('data: ') + 6)) as PanelState)
        waiting?.()
      }
    })
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        waiting = () => events.length >= count && resolve()
        waiting()
      })
    await next(1)
    expect(events[0]!.diagram!.nodes.find((n) => n.id === 'model:User')!.rows.map((r) => r.name)).toEqual(['id', 'email', 'posts'])

    source.set({ schema: schemaOf(SCHEMA.replace('email: String! @unique', 'email: String! @unique\n    phone: String?')) })
    await next(2)
    expect(events[1]!.diagram!.nodes.find((n) => n.id === 'model:User')!.rows.map((r) => r.name)).toEqual(['id', 'email', 'phone', 'posts'])
    expect(events[1]!.schemaHash).not.toBe(events[0]!.schemaHash)

    // A burst of changes in one tick goes out as one event carrying the last of them.
    source.set({ syncLog: [{ id: 'a', at: '2026-01-01T00:00:00.000Z', durationMs: 1, changes: ["+ Added field 'phone' to User"] }] })
    source.set({ syncLog: [{ id: 'b', at: '2026-01-01T00:00:01.000Z', durationMs: 1, changes: [] }, ...source.snapshot.syncLog] })
    await next(3)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(events).toHaveLength(3)
    expect(events[2]!.syncLog.map((e) => e.id)).toEqual(['b', 'a'])

    // A page that already holds the current state gets no copy of it on connecting; the next change comes.
    const current = JSON.parse((await send(`${p.url}api/state`)).body) as PanelState
    const quiet = await firstEvent(`${p.url}api/events?since=${current.instance}:${current.version}`, () => source.set({ syncLog: [] }))
    expect(quiet.version).toBe(current.version + 1)
    const stale = await firstEvent(`${p.url}api/events?since=${current.instance}:${current.version - 1}`)
    expect(stale.version).toBe(current.version + 1)

    // Closing the handler ends the stream and stops listening to the source.
    const ended = new Promise<void>((resolve) => res.on('end', resolve))
    p.handler.close()
    await ended
    expect(source.listenerCount).toBe(0)
  })
})

describe('a source that fails', () => {
  it('gets a 500 with its message (passwords masked), and the server goes on', async () => {
    const p = await start()
    // A page listening: a change has to be sent to it.
    const listening = await new Promise<IncomingMessage>((resolve) => request(`${p.url}api/events`, resolve).end())
    const working = source.current.bind(source)
    source.current = () => {
      throw new Error('cannot read postgres://app:hunter2@db/shop')
    }
    // A change announced while the source fails sends nothing and breaks nothing.
    source.set({ syncLog: [] })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const reply = await send(`${p.url}api/state`)
    expect(reply.status).toBe(500)
    expect(JSON.parse(reply.body).error).toBe('cannot read postgres://app:***@db/shop')
    source.current = working
    expect((await send(`${p.url}api/state`)).status).toBe(200)
    listening.destroy()
  })
})

describe('GET api/model', () => {
  it("gives the model's generated code in each configured language and its table from the source", async () => {
    const p = await start()
    source.set({ project: { ...source.snapshot.project, generate: { go: { package: 'shop' }, python: {} } } })
    source.tables.set('User', {
      table: { name: 'users', columns: [{ name: 'id', type: 'TEXT', nullable: false, default: null, autoincrement: false, updatedAt: false }], primaryKey: ['id'], indexes: [], foreignKeys: [] },
    })
    const reply = await send(`${p.url}api/model?name=User`)
    expect(reply.status).toBe(200)
    const details = JSON.parse(reply.body) as ModelDetails
    expect(details.code.typescript).toBe('export interface User {\n  id: string;\n  email: string;\n  posts?: Post[];\n}')
    expect(details.code.go).toMatch(/^type User struct \{\n\tID +string +`json:"id"`/)
    expect(details.code.python).toMatch(/^@dataclass\nclass User:\n    id: str\n/)
    expect(details.table).toMatchObject({ table: { name: 'users', primaryKey: ['id'] } })

    const post = JSON.parse((await send(`${p.url}api/model?name=Post`)).body) as ModelDetails
    expect(post.table).toEqual({ table: null })
    expect(Object.keys(post.code)).toEqual(['typescript', 'go', 'python'])

    expect((await send(`${p.url}api/model?name=Nobody`)).status).toBe(404)
  })
})

describe('POST api/consent', () => {
  it('applies a decision sent by the panel page with the token', async () => {
    const p = await start()
    const reply = await pagePost(p, { id: 'c1', decision: 'apply' })
    expect(reply).toMatchObject({ status: 200, body: '{"ok":true}' })
    expect(source.decisions).toEqual([{ id: 'c1', decision: 'apply' }])
    // Already decided: the source says so.
    expect((await pagePost(p, { id: 'c1', decision: 'keep' })).status).toBe(404)
  })

  it('refuses a request without the token, or with a wrong one, with 403', async () => {
    const p = await start()
    const noToken = await send(`${p.url}api/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: p.origin, 'Sec-Fetch-Site': 'same-origin' },
      body: JSON.stringify({ id: 'c1', decision: 'apply' }),
    })
    expect(noToken.status).toBe(403)
    expect(JSON.parse(noToken.body).error).toContain('token')
    expect((await pagePost(p, { id: 'c1', decision: 'apply' }, { 'x-okra-token': 'x'.repeat(43) })).status).toBe(403)
    expect((await pagePost(p, { id: 'c1', decision: 'apply' }, { 'x-okra-token': '' })).status).toBe(403)
    expect(source.decisions).toEqual([])
  })

  it('refuses a request with the token from another origin, another site, or without an Origin, with 403', async () => {
    const p = await start()
    const refused: Record<string, string>[] = [
      { Origin: 'http://evil.example' },
      { Origin: 'http://127.0.0.1:1' },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
    ]
    for (const headers of refused) expect((await pagePost(p, { id: 'c1', decision: 'apply' }, headers)).status, JSON.stringify(headers)).toBe(403)
    const withoutOrigin = await send(`${p.url}api/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-okra-token': p.handler.token },
      body: JSON.stringify({ id: 'c1', decision: 'apply' }),
    })
    expect(withoutOrigin.status).toBe(403)
    expect(source.decisions).toEqual([])
  })

  it('answers 403 before reading the body', async () => {
    const p = await start()
    // A body that never ends: only an answer given without reading it can arrive.
    const reply = await new Promise<number>((resolve, reject) => {
      const req = request(`${p.url}api/consent`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Origin: 'http://evil.example' } }, (res) => {
        resolve(res.statusCode!)
        res.resume()
        req.destroy()
      })
      req.on('error', reject)
      req.write('{"id": "c1", "decision": "ap')
    })
    expect(reply).toBe(403)
    expect(source.decisions).toEqual([])
  })

  it('refuses requests for another host name (DNS rebinding), also reading ones', async () => {
    const p = await start()
    const port = new URL(p.origin).port
    const rebound = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }
    expect((await send(`${p.url}api/state`, { headers: { Host: `evil.example:${port}` } })).status).toBe(403)
    expect((await send(p.url, { headers: { Host: `evil.example:${port}` } })).status).toBe(403)
    expect((await pagePost(p, { id: 'c1', decision: 'apply' }, rebound)).status).toBe(403)
    expect(source.decisions).toEqual([])
    // localhost names and IP addresses are this machine.
    expect((await send(`${p.url}api/state`, { headers: { Host: `localhost:${port}` } })).status).toBe(200)
    expect((await pagePost(p, { id: 'c1', decision: 'keep' }, { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).status).toBe(200)
  })

  it('accepts the hosts the dev server allows', async () => {
    const p = await start({ allowedHosts: ['.dev.example'] })
    const port = new URL(p.origin).port
    expect((await send(`${p.url}api/state`, { headers: { Host: `shop.dev.example:${port}` } })).status).toBe(200)
    expect((await pagePost(p, { id: 'c1', decision: 'apply' }, { Host: `shop.dev.example:${port}`, Origin: `http://shop.dev.example:${port}` })).status).toBe(200)
  })

  it('checks the body only after the checks: wrong type 415, bad JSON or shape 400, wrong method 405', async () => {
    const p = await start()
    expect((await pagePost(p, { id: 'c1', decision: 'apply' }, { 'Content-Type': 'text/plain' })).status).toBe(415)
    expect((await pagePost(p, { id: 'c1', decision: 'drop everything' })).status).toBe(400)
    expect((await pagePost(p, { decision: 'apply' })).status).toBe(400)
    const get = await send(`${p.url}api/consent`)
    expect(get.status).toBe(405)
    expect(get.headers.allow).toBe('POST')
    // A state-changing method anywhere else under the base: refused without the token, not allowed with it.
    expect((await send(`${p.url}api/state`, { method: 'DELETE' })).status).toBe(403)
    expect((await send(`${p.url}api/state`, { method: 'PUT', headers: { Origin: p.origin, 'x-okra-token': p.handler.token } })).status).toBe(405)
    expect(source.decisions).toEqual([])
  })
})

describe('hostAllowed', () => {
  it('allows this machine, IP addresses and the listed hosts only', () => {
    for (const host of ['localhost', 'localhost:5173', 'app.localhost:5173', '127.0.0.1:5173', '[::1]:5173', '192.168.1.20:3000', 'LOCALHOST']) expect(hostAllowed(host), host).toBe(true)
    for (const host of [undefined, '', 'evil.example', 'evil.example:5173', 'localhost.evil.example', '127.0.0.1.evil.example', 'a b', 'x@localhost']) expect(hostAllowed(host), String(host)).toBe(false)
    expect(hostAllowed('shop.test:80', ['shop.test'])).toBe(true)
    expect(hostAllowed('api.shop.test', ['.shop.test'])).toBe(true)
    expect(hostAllowed('shop.test', ['.shop.test'])).toBe(true)
    expect(hostAllowed('evilshop.test', ['.shop.test'])).toBe(false)
    expect(hostAllowed('anything.example', true)).toBe(true)
  })
})
