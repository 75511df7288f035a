/**
 * Database URLs: which provider a URL belongs to, SQLite paths made absolute, and `maskUrl`, the
 * only way a URL is ever printed.
 */
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Provider } from '../schema/physical-types'

/**
 * The text with every password in a URL replaced by `***`: the userinfo password
 * (`postgres://u:***@host/db`) and query parameters such as `password=` and `sslpassword=`. Works on any
 * text (a URL, or a message quoting one), so it can guard everything OKRA prints.
 */
export function maskUrl(text: string): string {
  return text
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, maskUserinfo)
    .replace(/([?&;\s][^=&#\s]*password=)[^&#\s]*/gi, '$1***')
}

function maskUserinfo(url: string): string {
  const authorityStart = url.indexOf('://') + 3
  const rest = url.slice(authorityStart)
  const authorityEnd = rest.search(/[/?#]/)
  let at = rest.lastIndexOf('@', authorityEnd === -1 ? rest.length : authorityEnd - 1)
  // A malformed URL may have a '/', '?' or '#' inside its password: mask up to the last '@'
  // rather than risk showing part of it.
  if (at === -1 || (authorityEnd !== -1 && at > authorityEnd)) at = rest.lastIndexOf('@')
  if (at === -1) return url
  const colon = rest.indexOf(':')
  if (colon === -1 || colon > at) return url
  return `${url.slice(0, authorityStart)}${rest.slice(0, colon)}:***${rest.slice(at)}`
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
