/**
 * The two layout rules of gofmt that generated Go meets, so the output is byte-identical to what
 * gofmt would print (and test/codegen checks it with the real gofmt):
 * - consecutive struct fields or const specs align in columns; a comment line or blank line ends
 *   the run (go/printer writes through a tabwriter whose column blocks stop at such lines);
 * - a doc comment at column 1 is reformatted by go/doc/comment (Go 1.19+): indented lines become
 *   code blocks or lists, some lone lines become `# ` headings, and paragraphs that are all link
 *   definitions move to the end. Descriptions are turned into the form that reformatting keeps.
 */

/** One line of a struct or const block: its comment lines above, the aligned cells, then the rest. */
export interface AlignedLine {
  comment: string[]
  cells: string[]
  rest: string
}

/** The lines, tab-indented, each run without comments padded into columns (one space after the widest cell). */
export function alignedBlock(lines: readonly AlignedLine[]): string {
  let out = ''
  let run: AlignedLine[] = []
  const flush = () => {
    const widths = run[0]?.cells.map((_, i) => Math.max(...run.map((line) => [...line.cells[i]].length))) ?? []
    for (const line of run) out += `\t${line.cells.map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length)).join(' ')} ${line.rest}\n`
    run = []
  }
  for (const line of lines) {
    if (line.comment.length > 0) {
      flush()
      out += line.comment.map((text) => (text === '' ? '\t//\n' : `\t// ${text}\n`)).join('')
    }
    run.push(line)
  }
  flush()
  return out
}

/** A top-level doc comment (with trailing newline) in the exact form gofmt prints it; '' for no lines. */
export function goDocComment(lines: readonly string[]): string {
  let paragraphs = toParagraphs(lines)
  if (paragraphs.length === 0) return ''
  let leadingBlank = false
  if (paragraphs.length === 1 && paragraphs[0].every(isLinkDef)) {
    // gofmt prints a comment made only of link definitions after a blank line, normalised.
    leadingBlank = true
    paragraphs = [paragraphs[0].map((line) => normaliseLinkDef(line))]
  } else {
    paragraphs = mergeLinkDefParagraphs(paragraphs)
  }
  const text = paragraphs.map((p, i) => (p.length === 1 && isHeading(p[0], i, paragraphs.length) ? [`# ${headingText(p[0])}`] : p))
  const out = text.map((p) => p.map((line) => `// ${line}`).join('\n')).join('\n//\n')
  return `${leadingBlank ? '//\n' : ''}${out}\n`
}

/** Lines without leading whitespace (which would make code blocks and lists), grouped at blank lines. */
function toParagraphs(lines: readonly string[]): string[][] {
  const paragraphs: string[][] = []
  let current: string[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (line !== '') current.push(line)
    else if (current.length > 0) paragraphs.push(current), (current = [])
  }
  if (current.length > 0) paragraphs.push(current)
  return paragraphs
}

/** A paragraph of link definitions only would be moved to the end: keep it where it was by joining it to its neighbour. */
function mergeLinkDefParagraphs(paragraphs: string[][]): string[][] {
  const out: string[][] = []
  let carry: string[] = []
  for (const p of paragraphs) {
    if (p.every(isLinkDef)) {
      if (out.length > 0) out[out.length - 1].push(...p)
      else carry.push(...p)
    } else {
      out.push([...carry, ...p])
      carry = []
    }
  }
  return out
}

/** `[text]: url` with a scheme go/doc/comment knows (its parseLink). */
function isLinkDef(line: string): boolean {
  return parseLinkDef(line) !== undefined
}

function parseLinkDef(line: string): { text: string; url: string } | undefined {
  if (!line.startsWith('[')) return undefined
  const i = line.indexOf(']:')
  if (i < 0 || i + 3 >= line.length || (line[i + 2] !== ' ' && line[i + 2] !== '\t')) return undefined
  const url = line.slice(i + 3).trim()
  const j = url.indexOf('://')
  if (j < 0 || !['file', 'ftp', 'gopher', 'http', 'https', 'mailto', 'nntp'].includes(url.slice(0, j))) return undefined
  return { text: line.slice(1, i), url }
}

function normaliseLinkDef(line: string): string {
  const def = parseLinkDef(line)!
  return `[${def.text}]: ${def.url}`
}

/** A one-line paragraph that gofmt turns into a heading: `# Title`, or an old-style heading between two paragraphs. */
function isHeading(line: string, index: number, count: number): boolean {
  if (/^#[ \t]/.test(line) && line.trim() !== '#') return true
  return index > 0 && index < count - 1 && isOldHeading(line)
}

function headingText(line: string): string {
  return (line.startsWith('#') ? line.slice(1) : line).trim()
}

/** go/doc/comment's isOldHeading, for the line itself (its neighbours are checked by the caller). */
function isOldHeading(line: string): boolean {
  if (!/^\p{Lu}/u.test(line) || !/[\p{L}\p{Nd}]$/u.test(line)) return false
  if (/[;:!?+*/=[\]{}_^°&§~%#@<">\\]/.test(line)) return false
  // "'" only for a possessive "'s"; "." only when followed by a non-space.
  if (/'(?!s(?: |$))/.test(line)) return false
  return !/\.(?: |$)/.test(line)
}
