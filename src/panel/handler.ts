/**
 * The dev panel's server: a Node / connect middleware `(req, res, next)` that answers everything under
 * its base path (`/__okra/`) and passes anything else to `next`.
 *
 *   GET  /__okra/                     the page, with the token and the current state written into it
 *   GET  /__okra/<asset>              the page's script and style, from the package's built folder
 *   GET  /__okra/api/state            the state (PanelState) as JSON
 *   GET  /__okra/api/events           Server-Sent Events: `state` with the whole state, after every change (and at once
 *                                     unless `?since=<instance>:<version>` names the current state)
 *   GET  /__okra/api/model?name=User  the model's generated code and its table in the database (ModelDetails)
 *   POST /__okra/api/consent          `{ "id": "...", "decision": "apply" | "keep" }`
 *
 * Every request must pass the host check, and every request but GET and HEAD the same-origin and token
 * checks (guard.ts), else it is answered 403 before anything else is read. Nothing is sent with CORS
 * headers, and the page may load nothing but its own assets (Content-Security-Policy).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { maskUrl } from '../config/url'
import { hostAllowed, newToken, refusal } from './guard'
import { API, PANEL_BASE, STATE_ELEMENT, STATE_EVENT } from './protocol'
import { type ConsentDecision, type PanelSource, PanelRequestError } from './source'
import { PanelStateStore } from './state'

export { PANEL_BASE }
/** Where the page and its scripts are built, inside the package. */
export const PANEL_ASSETS = 'dist/panel/ui'

const MAX_BODY_BYTES = 16 * 1024
const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Expose-Headers']
const HEARTBEAT_MS = 25_000

export interface PanelHandlerOptions {
  /** The path the panel answers under, with both slashes. Default `/__okra/`. */
  base?: string
  /** The folder of the built page. Default: the package's `dist/panel/ui`. */
  assetsDir?: string
  /** Host names allowed besides localhost and IP addresses (the dev server's own list; `true`: any). */
  allowedHosts?: readonly string[] | true
}

export interface PanelHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void
  /** The token state-changing requests must carry (written into the page). */
  readonly token: string
  readonly base: string
  /** Ends the event streams and stops listening to the source. */
  close(): void
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
}

/** The page may load its own scripts, styles and data, and nothing else; no other page may frame it (the consent buttons). */
const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

export function createPanelHandler(source: PanelSource, options: PanelHandlerOptions = {}): PanelHandler {
  const base = options.base ?? PANEL_BASE
  const token = newToken()
  const store = new PanelStateStore(source, randomBytes(8).toString('hex'))
  const assets = new Assets(options.assetsDir ?? defaultAssetsDir())
  const streams = new Set<ServerResponse>()

  let scheduled = false
  const unsubscribe = source.subscribe(() => {
    store.changed()
    // A burst of changes (a save that compiles, then syncs) goes out as one event.
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      if (streams.size === 0) return
      let event: string
      try {
        event = stateEvent(store)
      } catch {
        // A source that cannot say its state now: the pages keep the last one, and the next change tries again.
        return
      }
      for (const res of streams) res.write(event)
    })
  })
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n')
  }, HEARTBEAT_MS)
  heartbeat.unref()

  const handle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    try {
      serve(req, res, next)
    } catch (error) {
      // Never a crash of the dev server: the panel answers 500 and the server goes on.
      if (!res.headersSent) sendJson(res, 500, { error: messageOf(error) })
      else res.end()
    }
  }

  const serve = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    // connect strips a mount path from `url` and keeps the full one in `originalUrl`.
    const url = new URL((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/', 'http://panel.invalid')
    const bare = url.pathname === base.slice(0, -1)
    if (!bare && !url.pathname.startsWith(base)) {
      if (next) next()
      else send(res, 404, 'text/plain; charset=utf-8', 'Not found')
      return
    }
    // A dev server's CORS middleware (Vite's allows other localhost origins) may have run first: no page of
    // another origin may read the panel's answers.
    for (const header of CORS_HEADERS) res.removeHeader(header)
    if (!hostAllowed(req.headers.host, options.allowedHosts)) return sendJson(res, 403, { error: `The dev panel does not answer requests for host ${req.headers.host ?? '(none)'}.` })
    if (bare) return redirect(res, base + url.search)
    const method = req.method ?? 'GET'
    const reading = method === 'GET' || method === 'HEAD'
    if (!reading) {
      const refused = refusal(req, token)
      if (refused) return sendJson(res, 403, { error: `Refused: ${refused}. Changes are accepted only from the panel's own page.` })
    }
    const path = url.pathname.slice(base.length)
    const route = ROUTES[path]
    if (route) {
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) {
        res.setHeader('Allow', route.method === 'GET' ? 'GET, HEAD' : route.method)
        return sendJson(res, 405, { error: `${method} is not allowed here.` })
      }
      route.run({ req, res, url, store, source, streams, token, base, assets })
      return
    }
    if (!reading) return sendJson(res, 405, { error: `${method} is not allowed here.` })
    const asset = assets.get(path)
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'Not found')
    send(res, 200, asset.type, asset.body, { 'Cache-Control': 'no-cache' })
  }

  return Object.assign(handle, {
    token,
    base,
    close() {
      unsubscribe()
      clearInterval(heartbeat)
      for (const res of streams) res.end()
      streams.clear()
    },
  })
}

interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  store: PanelStateStore
  source: PanelSource
  streams: Set<ServerResponse>
  token: string
  base: string
  assets: Assets
}

const ROUTES: Record<string, { method: 'GET' | 'POST'; run: (ctx: RouteContext) => void }> = {
  '': { method: 'GET', run: page },
  'index.html': { method: 'GET', run: page },
  [API.state]: { method: 'GET', run: ({ res, store }) => send(res, 200, CONTENT_TYPES.json!, store.json()) },
  [API.events]: { method: 'GET', run: events },
  [API.model]: { method: 'GET', run: (ctx) => void modelDetails(ctx) },
  [API.consent]: { method: 'POST', run: (ctx) => void consent(ctx) },
}

/** The page with its token, its base and (so the first paint needs no other request) the state written into it. */
function page({ res, token, base, assets, store }: RouteContext): void {
  const html = assets.get('index.html')
  if (!html) {
    return send(res, 500, 'text/plain; charset=utf-8', `The dev panel's page was not found in ${assets.dir}: the package was built without it (npm run build makes it).`)
  }
  // Inside <script>, only `<` can end the element early (`</script>`, `<!--`): written as \u003c, the JSON means the same.
  const state = `<script type="application/json" id="${STATE_ELEMENT}">${store.json().replace(/</g, '\\u003c')}</script>`
  // Replaced by functions: the replacement text is taken literally (a `$&` in a schema description stays as it is).
  const body = html.body
    .toString('utf8')
    .replace('%OKRA_TOKEN%', () => token)
    .replace('%OKRA_BASE%', () => escapeHtml(base))
    .replace('<!--%OKRA_STATE%-->', () => state)
  send(res, 200, CONTENT_TYPES.html!, body, { 'Content-Security-Policy': PAGE_POLICY, 'Referrer-Policy': 'no-referrer' })
}

function events({ req, res, url, store, streams }: RouteContext): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  })
  if (req.method === 'HEAD') return void res.end()
  res.write(`retry: 1000\n\n${url.searchParams.get('since') === store.stamp ? '' : stateEvent(store)}`)
  streams.add(res)
  const forget = () => streams.delete(res)
  req.on('close', forget)
  res.on('close', forget)
}

function stateEvent(store: PanelStateStore): string {
  const json = store.json()
  // JSON has no raw line breaks, so the state is one `data:` line.
  return `event: ${STATE_EVENT}\ndata: ${json}\n\n`
}

async function modelDetails({ res, url, store }: RouteContext): Promise<void> {
  const name = url.searchParams.get('name') ?? ''
  try {
    const details = await store.details(name)
    if (!details) return sendJson(res, 404, { error: `The schema has no model named '${name}'.` })
    sendJson(res, 200, details)
  } catch (error) {
    sendJson(res, 500, { error: messageOf(error) })
  }
}

async function consent({ req, res, source }: RouteContext): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: 'Send the decision as application/json.' })
  let body: unknown
  try {
    body = JSON.parse(await readBody(req))
  } catch (error) {
    return sendJson(res, 400, { error: error instanceof BodyTooLarge ? error.message : 'The body is not valid JSON.' })
  }
  const { id, decision } = (body ?? {}) as { id?: unknown; decision?: unknown }
  if (typeof id !== 'string' || (decision !== 'apply' && decision !== 'keep')) {
    return sendJson(res, 400, { error: 'Send { "id": "<consent id>", "decision": "apply" | "keep" }.' })
  }
  try {
    await source.decide(id, decision as ConsentDecision)
    sendJson(res, 200, { ok: true })
  } catch (error) {
    if (error instanceof PanelRequestError) return sendJson(res, error.status, { error: maskUrl(error.message) })
    sendJson(res, 500, { error: messageOf(error) })
  }
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge(`The body is larger than ${MAX_BODY_BYTES} bytes.`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** The built page's files, read once each; only plain file names directly in the folder are ever served. */
class Assets {
  private names: Set<string> | undefined
  private readonly cache = new Map<string, { type: string; body: Buffer }>()

  constructor(readonly dir: string) {}

  get(name: string): { type: string; body: Buffer } | undefined {
    const cached = this.cache.get(name)
    if (cached) return cached
    this.names ??= new Set(existsSync(this.dir) ? readdirSync(this.dir) : [])
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)]
    if (!this.names.has(name) || !type || !/^[\w.-]+$/.test(name)) return undefined
    const asset = { type, body: readFileSync(join(this.dir, name)) }
    this.cache.set(name, asset)
    return asset
  }
}

/** The package's `dist/panel/ui`: found from this file upwards, so it works from the built package and from the sources. */
function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'unplugin-okra') return join(dir, PANEL_ASSETS)
      } catch {
        // Not a readable manifest: keep looking upwards.
      }
    }
    const up = dirname(dir)
    if (up === dir) return join(dirname(fileURLToPath(import.meta.url)), 'ui')
    dir = up
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
  res.end(res.req?.method === 'HEAD' ? undefined : body)
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, CONTENT_TYPES.json!, JSON.stringify(value))
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(301, { Location: location, 'Cache-Control': 'no-store' })
  res.end()
}

/** An error's message for the page, passwords masked. */
function messageOf(error: unknown): string {
  return maskUrl(error instanceof Error ? error.message : String(error))
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
