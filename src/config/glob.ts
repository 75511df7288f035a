/**
 * Schema file globs: `*` and `?` within one path segment, `**` across segments, `{a,b}` alternatives.
 * Wildcards never match a name starting with `.` (write the dot to reach one), and node_modules and
 * .git are never entered. Results are sorted, relative to the root, with `/` separators.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { displayPath } from '../fs'
import { resolve } from 'node:path'

const NEVER_ENTERED = new Set(['node_modules', '.git'])

/** `a/{b,c}/*.{gql,graphql}` -> the four patterns without braces (nested braces too). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{')
  if (open === -1) return [pattern]
  let depth = 0
  const commas: number[] = []
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '{') depth++
    else if (c === '}' && --depth === 0) {
      const bounds = [open, ...commas, i]
      const parts = bounds.slice(1).map((end, k) => pattern.slice(bounds[k] + 1, end))
      const head = pattern.slice(0, open)
      const tail = pattern.slice(i + 1)
      return parts.flatMap((part) => expandBraces(head + part + tail))
    } else if (c === ',' && depth === 1) commas.push(i)
  }
  return [pattern] // an unclosed '{' is a literal character
}

function isMagic(segment: string): boolean {
  return /[*?]/.test(segment)
}

/** Whether a pattern has wildcards or alternatives (else it names one file). */
export function hasMagic(pattern: string): boolean {
  return expandBraces(pattern).length > 1 || isMagic(pattern)
}

function segmentRegExp(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
  return new RegExp(`^${/^[*?]/.test(segment) ? '(?!\\.)' : ''}${body}$`)
}

type Segment = '**' | RegExp

function compile(segments: string[]): Segment[] {
  return segments.map((s) => (s === '**' ? '**' : segmentRegExp(s)))
}

/** Whether the path segments `names[j..]` match the pattern segments `pattern[i..]`. */
function matches(pattern: Segment[], names: string[], i = 0, j = 0): boolean {
  if (i === pattern.length) return j === names.length
  const segment = pattern[i]
  if (segment === '**') {
    for (let k = j; k <= names.length; k++) {
      if (matches(pattern, names, i + 1, k)) return true
      if (k < names.length && names[k].startsWith('.')) return false
    }
    return false
  }
  return j < names.length && segment.test(names[j]) && matches(pattern, names, i + 1, j + 1)
}

/** Whether some path below the directory `names` could match: decides which directories to walk. */
function mayContainMatch(pattern: Segment[], names: string[], i = 0, j = 0): boolean {
  if (j === names.length) return i < pattern.length
  if (i === pattern.length) return false
  const segment = pattern[i]
  if (segment === '**') {
    return (!names[j].startsWith('.') && mayContainMatch(pattern, names, i, j + 1)) || mayContainMatch(pattern, names, i + 1, j)
  }
  return segment.test(names[j]) && mayContainMatch(pattern, names, i + 1, j + 1)
}

function normalise(pattern: string): string[] {
  return pattern
    .split('\\')
    .join('/')
    .split('/')
    .filter((segment, index) => segment !== '' || index === 0)
    .filter((segment) => segment !== '.')
}

/** Matches a relative path (with `/`) against a glob: the same rules the file search uses. */
export function matchGlob(pattern: string, path: string): boolean {
  const names = path.split('/')
  return expandBraces(pattern).some((p) => matches(compile(normalise(p)), names))
}

/**
 * The files under `root` matching any of the patterns (relative to the root; `../` and absolute
 * patterns reach outside it). `unmatched` lists the patterns that matched nothing.
 */
export function findFiles(root: string, patterns: string[]): { files: string[]; unmatched: string[] } {
  const found = new Set<string>()
  const unmatched: string[] = []
  for (const pattern of patterns) {
    let matched = false
    const add = (file: string) => {
      matched = true
      found.add(displayPath(root, file))
    }
    for (const expanded of expandBraces(pattern)) {
      const segments = normalise(expanded)
      const literal = segments.findIndex(isMagic)
      const baseSegments = literal === -1 ? segments : segments.slice(0, literal)
      const base = resolve(root, baseSegments.join('/') || (segments[0] === '' ? '/' : '.'))
      if (literal === -1) {
        if (existsSync(base) && statSync(base).isFile()) add(base)
        continue
      }
      walk(base, [], compile(segments.slice(literal)), add)
    }
    if (!matched) unmatched.push(pattern)
  }
  return { files: [...found].sort(), unmatched }
}

function walk(dir: string, names: string[], pattern: Segment[], onMatch: (file: string) => void): void {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return // a base directory that does not exist simply holds no matches
  }
  for (const entry of entries) {
    const path = [...names, entry.name]
    const full = resolve(dir, entry.name)
    if (entry.isDirectory()) {
      if (!NEVER_ENTERED.has(entry.name) && mayContainMatch(pattern, path)) walk(full, path, pattern, onMatch)
    } else if (entry.isFile() && matches(pattern, path)) onMatch(full)
  }
}
