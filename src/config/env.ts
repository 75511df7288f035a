/**
 * The process environment as OKRA sees it: `.env` at the project root fills in what is not already
 * set (never overriding), and `${VAR}` in config strings is replaced from it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OkraError } from '../errors'
import { rememberSecret } from './url'

/** Variables whose values are secrets even outside a URL: never printed (src/config/url.ts). */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN/i

export type Environment = Record<string, string | undefined>

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/

/**
 * `KEY=VALUE` lines; `#` starts a comment (whole line, or after a space in an unquoted value);
 * values may be in single quotes (taken literally) or double quotes (`\n`, `\t`, `\"`, `\\` escapes);
 * an optional `export ` prefix is ignored.
 */
export function parseDotEnv(text: string, file = '.env'): Record<string, string> {
  const result: Record<string, string> = {}
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (/^\s*(#|$)/.test(line)) return
    const match = LINE.exec(line)
    // The line is never quoted: a malformed line is often a secret (`PGPASSWORD hunter2`).
    if (!match) throw new OkraError(`${file}:${index + 1}: expected KEY=VALUE`, 'Fix or remove that line (its text is not shown: it may hold a secret).')
    result[match[1]] = unquote(match[2], `${file}:${index + 1}`)
  })
  return result
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' }

function unquote(raw: string, where: string): string {
  const quote = raw[0]
  if (quote !== '"' && quote !== "'") return raw.replace(/\s+#.*$/, '')
  const close = closingQuote(raw, quote)
  const rest = close === -1 ? '' : raw.slice(close + 1).trim()
  if (close === -1 || (rest !== '' && !rest.startsWith('#'))) {
    throw new OkraError(`${where}: unterminated or malformed quoted value`, `Close the ${quote} quote; put comments after it.`)
  }
  const body = raw.slice(1, close)
  if (quote === "'") return body
  return body.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c)
}

/** Index of the quote closing `raw[0]`; inside double quotes a backslash escapes the next character. */
function closingQuote(raw: string, quote: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (raw[i] === '\\' && quote === '"') i++
    else if (raw[i] === quote) return i
  }
  return -1
}

/** `env` with the variables of `<root>/.env` added where `env` has none. `env` itself is not modified. */
export function withDotEnv(root: string, env: Environment): Environment {
  const file = join(root, '.env')
  if (!existsSync(file)) return env
  const fromFile = parseDotEnv(readFileSync(file, 'utf8'))
  const merged: Environment = { ...env }
  for (const [key, value] of Object.entries(fromFile)) {
    if (SECRET_NAME.test(key)) rememberSecret(value)
    if (merged[key] === undefined) merged[key] = value
  }
  return merged
}

/** Replaces every `${VAR}`; returns the names of the variables that are not set. */
export function interpolate(value: string, env: Environment): { value: string; missing: string[] } {
  const missing: string[] = []
  const result = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const found = env[name]
    if (found === undefined) {
      missing.push(name)
      return ''
    }
    return found
  })
  return { value: result, missing }
}
