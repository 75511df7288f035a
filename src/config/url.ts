/**
 * Database URLs: which provider a URL belongs to, SQLite paths made absolute, and `maskUrl`, the
 * only way a URL is ever printed.
 */
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Provider } from '../schema/physical-types'

/**
 * The text with every password replaced by `***`: the userinfo password of any URL in it
 * (`postgres://u:***@host/db`), query parameters such as `password=` and `sslpassword=`, and every
 * secret of a database URL OKRA has read (`rememberSecrets`) in whatever form it appears (as written,
 * percent-encoded or decoded). Works on any text (a URL, a message quoting one, a JSON document), so it
 * guards everything OKRA prints.
 */
export function maskUrl(text: string): string {
  let out = text.replace(URL_TO_LINE_END, maskUserinfo).replace(/([?&;\s][^=&#\s]*password=)[^&#\s]*/gi, '$1***')
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join('***')
  return out
}

/** A scheme and the rest of its line: a password may hold spaces, so a URL is not cut at the first one. */
const URL_TO_LINE_END = /[a-z][a-z0-9+.-]*:\/\/[^\n]*/gi
const NEXT_URL = /[a-z][a-z0-9+.-]*:\/\//i
/** What follows the `@` ending a userinfo: a host (name, IPv4, [IPv6]), an optional port, then the end of the authority. */
const HOST_AFTER_AT = /@(?:\[[0-9a-f:.]*\]|[a-z0-9._~%-]*)(?::\d*)?(?=[/?#\s"'`,;)]|$)/iy

/**
 * `scheme://user:password@host...` with the password masked. The password runs from the first `:` to the
 * `@` before the host: the last `@` before the first `/` when there is one (the password may hold `@`,
 * spaces, `#`, `?`), else the last `@` followed by a host on the line (the password may hold `/`); when
 * in doubt, more is masked rather than less.
 */
function maskUserinfo(match: string): string {
  const authorityStart = match.indexOf('://') + 3
  const next = NEXT_URL.exec(match.slice(authorityStart))
  const end = next ? authorityStart + next.index : match.length
  const rest = match.slice(authorityStart, end)
  const colon = rest.indexOf(':')
  // `user:` only: a user name holds no `/`, `@`, `?`, `#` or whitespace (a URL without a password has none of this shape).
  if (colon === -1 || !/^[^\s/?#@]*$/.test(rest.slice(0, colon))) return match.slice(0, end) + maskUrl(match.slice(end))
  // Sticky at `i`: each candidate costs the length of its host, not of the rest of the line.
  const isHostAt = (i: number) => {
    HOST_AFTER_AT.lastIndex = i
    return i > colon && HOST_AFTER_AT.test(rest)
  }
  const slash = rest.indexOf('/', colon)
  let at = -1
  if (slash !== -1) for (let i = rest.lastIndexOf('@', slash); i > colon && at === -1; i = rest.lastIndexOf('@', i - 1)) if (isHostAt(i)) at = i
  if (at === -1) for (let i = rest.lastIndexOf('@'); i > colon && at === -1; i = rest.lastIndexOf('@', i - 1)) if (isHostAt(i)) at = i
  const masked = at === -1 ? rest : `${rest.slice(0, colon)}:***${rest.slice(at)}`
  return match.slice(0, authorityStart) + masked + maskUrl(match.slice(end))
}

/** Secrets of the database URLs read so far, longest first (so a longer form is masked before a part of it). */
let knownSecrets: string[] = []
const MIN_REMEMBERED = 4

/**
 * Remembers the secrets of a database URL (its password, `password=`, `sslpassword=`) so that
 * `maskUrl` masks them anywhere, also where a driver or a server quotes one outside a URL. Forms: as
 * written, percent-decoded, and percent-encoded as the WHATWG parser and `encodeURIComponent` write them.
 * Very short secrets, and those that are also a visible part of the URL (a password equal to the user
 * name), are left to the URL masking: scrubbing them everywhere would garble every line.
 */
export function rememberSecrets(url: string): void {
  const found = secretsOf(url)
  if (found.length > 0) remember(found, maskUrl(url))
}

/** Remembers a secret value that is not in a URL (a `*PASSWORD*` variable of `.env`), like `rememberSecrets`. */
export function rememberSecret(value: string): void {
  remember([value], '')
}

function remember(found: string[], visible: string): void {
  const forms = found.flatMap((s) => [s, decode(s), encodeURIComponent(decode(s)), whatwgPassword(decode(s))])
  const keep = forms.filter((s) => s.length >= MIN_REMEMBERED && !visible.includes(s))
  knownSecrets = [...new Set([...knownSecrets, ...keep])].sort((a, b) => b.length - a.length)
}

/** The secrets in a URL as written: the userinfo password and the `password` / `sslpassword` parameter values. */
export function secretsOf(url: string): string[] {
  const found: string[] = []
  const masked = maskUserinfoOnly(url)
  if (masked !== undefined) found.push(masked)
  for (const m of url.matchAll(/[?&;]\s*(?:ssl)?password=([^&#]*)/gi)) if (m[1]) found.push(m[1])
  return [...new Set(found)]
}

/** The password of `url` as written, found the way maskUrl finds it. */
function maskUserinfoOnly(url: string): string | undefined {
  const start = url.indexOf('://')
  if (start === -1) return undefined
  const masked = maskUserinfo(url.split('\n')[0]!)
  const head = masked.indexOf(':***')
  if (head === -1) return undefined
  const tail = masked.length - head - 4
  return url.slice(head + 1, url.length - tail) || undefined
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function whatwgPassword(password: string): string {
  const url = new URL('postgres://host')
  url.password = password
  return url.password
}

const FILE_URL = /^(sqlite:|file:)/i
const SERVER_URL = /^postgres(ql)?:\/\//i

/** The provider a URL's scheme names, or undefined when its scheme is not one OKRA knows. */
export function providerOfUrl(url: string): Provider | undefined {
  if (FILE_URL.test(url)) return 'sqlite'
  if (SERVER_URL.test(url)) return 'postgres'
  return undefined
}

/** A URL naming a local database file (`sqlite:`, `file:`), whose relative path is resolved from the project root. */
export function isFileUrl(url: string): boolean {
  return FILE_URL.test(url)
}

/**
 * A SQLite URL as `sqlite://<absolute path>` (or `sqlite://:memory:`); relative paths are relative
 * to the project root. Accepts `sqlite://path`, `sqlite:path`, `file:path` and `file:///abs/path`.
 */
export function normaliseSqliteUrl(url: string, root: string): string {
  let path: string
  if (/^file:\/\//i.test(url)) path = fileURLToPath(url)
  else path = url.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:/i, '')
  path = path.split(/[?#]/)[0]
  if (path === ':memory:') return 'sqlite://:memory:'
  const absolute = isAbsolute(path) ? path : resolve(root, path)
  return `sqlite://${absolute.split('\\').join('/')}`
}
