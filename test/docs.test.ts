/**
 * Keeps the user documentation (README.md and docs/*.md) honest: every relative link and anchor
 * resolves, every docs page is reachable from the README, nothing refers to a document users don't
 * have, and docs/cli.md lists every command and flag the CLI itself reports in `okra --help`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { resolveCommandName } from '../src/cli'
import { okra } from './cli/capture'
import { projectDir } from './config/project-dir'

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')
const DOCS = join(ROOT, 'docs')
const CLI_PAGE = join(DOCS, 'cli.md')

/** The pages a user reads: the README and every page of docs/. */
function userPages(): string[] {
  const pages = readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(DOCS, name))
  return [join(ROOT, 'README.md'), ...pages]
}

const read = (file: string) => readFileSync(file, 'utf8')
const shown = (file: string) => relative(ROOT, file)

/** The text with fenced code blocks blanked out (line count kept), so examples are not read as Markdown. */
function withoutFences(text: string): string {
  let fenced = false
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced
        return ''
      }
      return fenced ? '' : line
    })
    .join('\n')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** Every anchor a Markdown file offers (repeated headings get `-1`, `-2`, as on GitHub). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of withoutFences(markdown).split('\n')) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!match) continue
    const base = headingSlug(match[1])
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

interface Link {
  target: string
  line: number
}

/** Inline links `[text](target)` outside code (fenced blocks and `code spans`). */
function linksOf(markdown: string): Link[] {
  const links: Link[] = []
  withoutFences(markdown)
    .split('\n')
    .forEach((line, index) => {
      const prose = line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length))
      for (const match of prose.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) links.push({ target: match[1], line: index + 1 })
    })
  return links
}

/** Why a relative link from `file` does not resolve, or undefined when it does. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined // http:, https:, mailto:
  const hash = target.indexOf('#')
  const path = hash === -1 ? target : target.slice(0, hash)
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1))
  const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path))
  if (!existsSync(destination)) return `${shown(destination)} does not exist`
  if (anchor === undefined) return undefined
  if (statSync(destination).isDirectory() || !destination.endsWith('.md')) return `#${anchor} points into ${shown(destination)}, which has no headings`
  if (!anchorsOf(read(destination)).has(anchor)) return `${shown(destination)} has no heading for #${anchor}`
  return undefined
}

/** Each section of a Markdown page by its heading's anchor: the heading line to the next heading. */
function sections(markdown: string): Map<string, string> {
  const result = new Map<string, string>()
  let current: string | undefined
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const match = fenced ? null : /^#{1,6}\s+(.*?)\s*$/.exec(line)
    if (match) current = headingSlug(match[1])
    if (current !== undefined) result.set(current, `${result.get(current) ?? ''}${line}\n`)
  }
  return result
}

/** `--flag` names of an "Options:" block of the CLI's help (up to the next blank line). */
function optionsIn(help: string, title: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf(title)
  if (start === -1) return []
  const block: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break
    block.push(line)
  }
  return block.map((line) => /^\s+(--[a-z-]+)/.exec(line)?.[1]).filter((flag): flag is string => flag !== undefined)
}

/** The commands `okra --help` lists, each with its aliases: `[['init', 'db:init'], ['db:validate'], ...]`. */
async function registeredCommands(): Promise<string[][]> {
  const { code, stdout } = await okra(['--help'], { cwd: projectDir() })
  expect(code).toBe(0)
  const lines = stdout.split('\n')
  const start = lines.indexOf('Commands:')
  expect(start).toBeGreaterThan(-1)
  const commands: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break
    const names = line.trim().split(/\s{2,}/)[0]
    commands.push(names.split(', '))
  }
  return commands
}

describe('links', () => {
  it('every relative link and anchor in README.md and docs/*.md resolves', () => {
    const broken: string[] = []
    let checked = 0
    for (const file of userPages()) {
      for (const { target, line } of linksOf(read(file))) {
        checked++
        const problem = brokenLink(file, target)
        if (problem) broken.push(`${shown(file)}:${line}: (${target}) ${problem}`)
      }
    }
    expect(broken).toEqual([])
    expect(checked).toBeGreaterThan(20)
  })

  it('the README links every page of docs/', () => {
    const linked = new Set(
      linksOf(read(join(ROOT, 'README.md')))
        .map(({ target }) => target.split('#')[0])
        .filter((path) => path !== '')
        .map((path) => resolve(ROOT, path)),
    )
    const pages = userPages().slice(1)
    expect(pages.length).toBeGreaterThan(5)
    expect(pages.filter((page) => !linked.has(page)).map(shown)).toEqual([])
  })

  it('the checker itself finds a missing file, a missing anchor and a link into a folder', () => {
    const readme = join(ROOT, 'README.md')
    expect(brokenLink(readme, 'docs/no-such-page.md')).toBe('docs/no-such-page.md does not exist')
    expect(brokenLink(readme, 'docs/cli.md#no-such-heading')).toBe('docs/cli.md has no heading for #no-such-heading')
    expect(brokenLink(readme, 'docs#x')).toBe('#x points into docs, which has no headings')
    expect(brokenLink(readme, 'docs/cli.md#global-options')).toBeUndefined()
    expect(brokenLink(readme, 'https://example.com/missing')).toBeUndefined()
    expect(linksOf('see [a](a.md) and `[b](b.md)`\n```\n[c](c.md)\n```\n[d](d.md#x)')).toEqual([
      { target: 'a.md', line: 1 },
      { target: 'd.md#x', line: 5 },
    ])
  })

  it('anchors follow GitHub: punctuation dropped, repeated headings numbered', () => {
    expect([...anchorsOf('# `okra db:migrate:snapshot`\n## The virtual module and `okra.d.ts`\n## A\n## A\n```\n# not a heading\n```')]).toEqual([
      'okra-dbmigratesnapshot',
      'the-virtual-module-and-okradts',
      'a',
      'a-1',
    ])
  })
})

describe('wording', () => {
  it('no page a user reads refers to a SPEC (a document users do not have)', () => {
    const pages = [...userPages(), join(ROOT, 'playground', 'README.md')]
    const mentions = pages.flatMap((file) =>
      read(file)
        .split('\n')
        .map((text, index) => ({ text, where: `${shown(file)}:${index + 1}` }))
        .filter(({ text }) => /\bSPEC\b/.test(text) || /\bthe spec\b/i.test(text))
        .map(({ where, text }) => `${where}: ${text.trim()}`),
    )
    expect(mentions).toEqual([])
  })

  it('every `okra <command>` the pages show exists, unless the same table row or paragraph says it is planned', () => {
    const unknown: string[] = []
    let known = 0
    for (const file of userPages()) {
      const lines = read(file).split('\n')
      const blank = (i: number) => lines[i].trim() === ''
      /** The table row, else the paragraph (up to the blank lines around it), holding line i. */
      const contextOf = (i: number) => {
        if (lines[i].trimStart().startsWith('|')) return lines[i]
        let from = i
        let to = i
        while (from > 0 && !blank(from - 1)) from--
        while (to < lines.length - 1 && !blank(to + 1)) to++
        return lines.slice(from, to + 1).join('\n')
      }
      lines.forEach((line, i) => {
        for (const match of line.matchAll(/(?<![\w/.-]|import )okra ((?:[a-z]+:)*[a-z]+(?:-[a-z]+)*)/g)) {
          if (resolveCommandName(match[1]) !== undefined) known++
          else if (!/\bplanned\b/i.test(contextOf(i))) unknown.push(`${shown(file)}:${i + 1}: okra ${match[1]}`)
        }
      })
    }
    expect(unknown).toEqual([])
    expect(known).toBeGreaterThan(20)
  })
})

describe('docs/cli.md', () => {
  it('has a section for every registered command, naming its aliases and every one of its flags', async () => {
    const page = read(CLI_PAGE)
    const bySection = sections(page)
    const commands = await registeredCommands()
    expect(commands.length).toBeGreaterThan(10)
    const missing: string[] = []
    for (const [name, ...aliases] of commands) {
      const section = bySection.get(headingSlug(`\`okra ${name}\``))
      if (!section) {
        missing.push(`no section "### \`okra ${name}\`"`)
        continue
      }
      for (const alias of aliases) if (!section.includes(alias)) missing.push(`okra ${name}: alias ${alias} not mentioned`)
      const { code, stdout } = await okra([name, '--help'], { cwd: projectDir() })
      expect(code).toBe(0)
      for (const flag of optionsIn(stdout, 'Options:')) {
        if (!section.includes(`\`${flag}`)) missing.push(`okra ${name}: flag ${flag} not documented`)
      }
    }
    expect(missing).toEqual([])
  })

  it('documents every global option', async () => {
    const { stdout } = await okra(['--help'], { cwd: projectDir() })
    const globals = optionsIn(stdout, 'Options:')
    expect(globals).toContain('--config')
    const section = sections(read(CLI_PAGE)).get('global-options') ?? ''
    expect(globals.filter((flag) => !section.includes(`\`${flag}`))).toEqual([])
  })
})
