/**
 * Who may talk to the panel. The panel can change the dev database (a consent applies destructive
 * changes), so a request from another web page must never be able to:
 *
 * - Host: every request must name this machine (`localhost`, `*.localhost`, an IP address) or a host
 *   the dev server allows. A page on another domain that re-points its name at 127.0.0.1 (DNS
 *   rebinding) is same-origin with itself and could read the token from the page; its Host header
 *   still carries its own name, and is refused.
 * - A request that changes anything (any method but GET and HEAD) must also come from the panel's own
 *   page: `Sec-Fetch-Site`, when the browser sends it, is `same-origin`; `Origin` is present and names
 *   the host the request was sent to; and the `x-okra-token` header holds the token made for this
 *   server and written into the page (another origin cannot read the page, so it cannot know it).
 *   All of it is checked before the request's body is read.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'
import { TOKEN_HEADER } from './protocol'

/** A fresh random token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The hostname of a Host header (`[::1]:5173` -> `::1`), lower-cased; undefined when malformed. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]\s/]+))(?::\d{1,5})?$/i.exec(host.trim())
  return match ? (match[1] ?? match[2])!.toLowerCase() : undefined
}

/** Whether the Host header names this machine, an IP address, or a host the dev server allows (`true`: any). */
export function hostAllowed(host: string | undefined, allowedHosts: readonly string[] | true = []): boolean {
  const name = hostnameOf(host)
  if (name === undefined) return false
  if (allowedHosts === true) return true
  if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true
  return allowedHosts.some((allowed) => {
    const rule = allowed.toLowerCase()
    // Vite's form: `.example.com` allows the domain and every subdomain.
    return rule.startsWith('.') ? name === rule.slice(1) || name.endsWith(rule) : name === rule
  })
}

/** Why a state-changing request is refused, or null when it comes from the panel's own page with the token. */
export function refusal(req: IncomingMessage, token: string): string | null {
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return `cross-site request (Sec-Fetch-Site: ${site})`
  const origin = req.headers.origin
  if (!origin) return 'no Origin header'
  let originHost: string
  try {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Origin ${origin} is not a web page`
    originHost = url.host
  } catch {
    return `malformed Origin ${origin}`
  }
  // URL normalises the default port away; so must the comparison.
  if (originHost !== normalisedHost(req.headers.host, origin)) return `cross-origin request (Origin ${origin})`
  const given = req.headers[TOKEN_HEADER]
  if (typeof given !== 'string' || !sameSecret(given, token)) return 'missing or wrong token'
  return null
}

function normalisedHost(host: string | undefined, origin: string): string | undefined {
  if (!host) return undefined
  try {
    return new URL(`${new URL(origin).protocol}//${host}`).host
  } catch {
    return undefined
  }
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}
