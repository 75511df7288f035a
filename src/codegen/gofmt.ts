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
  comment: readonly string[]
  cells: string[]
  rest: string
}

/**
 * The lines, tab-indented, each run without comments padded into columns (one space after the widest cell).
 * The text is joined from an array, not grown with `+=`: a flat string instead of a rope of thousands of
 * pieces, which the garbage collector would copy and the final join would walk.
 */
export function alignedBlock(lines: readonly AlignedLine[]): string {
  const out: string[] = []
  let runStart = 0
  for (let i = 0; i < lines.length; i++) {
    const comment = lines[i].comment
    if (comment.length === 0) continue
    alignedRun(out, lines, runStart, i)
    runStart = i
    for (const text of comment) out.push(text === '' ? '\t//\n' : `\t// ${text}\n`)
  }
  alignedRun(out, lines, runStart, lines.length)
  return out.join('')
}

/** Appends lines `from` to `to` (exclusive) to `out`, each cell padded to the widest of its column, in code points. */
function alignedRun(out: string[], lines: readonly AlignedLine[], from: number, to: number): void {
  if (from === to) return
  const widths: number[] = []
  for (let column = 0; column < lines[from].cells.length; column++) {
    let widest = 0
    for (let i = from; i < to; i++) {
      const width = codePoints(lines[i].cells[column])
      if (width > widest) widest = width
    }
    widths.push(widest)
  }
  for (let i = from; i < to; i++) {
    const { cells, rest } = lines[i]
    out.push('\t')
    for (let column = 0; column < cells.length; column++) out.push(cells[column], spaces(widths[column] - codePoints(cells[column]) + 1))
    out.push(rest, '\n')
  }
}

/** The length of `text` in code points (a surrogate pair is one), as gofmt's tabwriter counts. */
function codePoints(text: string): number {
  // Nearly every name and type has no surrogate: then each UTF-16 unit is a code point.
  if (!HIGH_SURROGATE.test(text)) return text.length
  let count = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) count--
    }
  }
  return count
}

const HIGH_SURROGATE = /[\ud800-\udbff]/

/** Padding strings by length, made once: a schema pads hundreds of thousands of cells. */
const PADDING: string[] = []

function spaces(count: number): string {
  return (PADDING[count] ??= ' '.repeat(count))
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
  // ° and § escaped: the CLI bundle stays ASCII, which Node reads as one-byte text without decoding UTF-8.
  if (/[;:!?+*/=[\]{}_^\u00b0&\u00a7~%#@<">\\]/.test(line)) return false
  // "'" only for a possessive "'s"; "." only when followed by a non-space.
  if (/'(?!s(?: |$))/.test(line)) return false
  return !/\.(?: |$)/.test(line)
}
