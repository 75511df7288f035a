/** Prints aligned plain-text tables: text columns left-aligned, figures right-aligned. */

const FIGURE = /^[-+~]?[\d.,]+\s*(µs|ms|s|MB|KB|B|×|%)?$/

function width(text) {
  // Count code points, so `µ`, `✓` and `×` take one column each.
  return [...text].length
}

function pad(text, size, right) {
  const fill = ' '.repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

/**
 * printTable({ title, columns: ['models', 'total', ...], rows: [['1,000', '12.3 ms', ...]], notes: [] })
 * A column may be `{ header, align: 'left' | 'right' }`; by default a column whose cells all look like
 * figures is right-aligned. Returns the printed text (handy in tests).
 */
export function printTable({ title, columns, rows, notes = [] }, write = (s) => process.stdout.write(s)) {
  const headers = columns.map((c) => (typeof c === 'string' ? c : c.header))
  const cells = rows.map((row) => row.map((cell) => String(cell ?? '')))
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ''))))
  const right = columns.map((c, i) => {
    if (typeof c !== 'string' && c.align) return c.align === 'right'
    return cells.length > 0 && cells.every((r) => FIGURE.test(r[i] ?? '') || r[i] === 'n/a' || r[i] === '-')
  })
  const line = (row) => row.map((cell, i) => pad(cell ?? '', widths[i], right[i])).join('  ').trimEnd()
  const out = []
  if (title) out.push(title, '')
  out.push(line(headers), widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of cells) out.push(line(row))
  for (const note of notes) out.push(`  ${note}`)
  const text = out.join('\n') + '\n\n'
  write(text)
  return text
}
