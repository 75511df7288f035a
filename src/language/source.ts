/** A schema file's text and the path users know it by (relative to the project root, `/` separators). */
export interface Source {
  readonly path: string
  readonly text: string
}

/** A span of a source: offsets are 0-based UTF-16 indices into `source.text`, `end` exclusive. */
export interface Location {
  readonly source: Source
  readonly start: number
  readonly end: number
}

/** 1-based line and column of an offset. Computed when printed, never stored (graphql-js habit). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/** The text of the given 1-based line, without its line ending. */
export function lineText(text: string, line: number): string {
  return text.split(/\r\n|\r|\n/)[line - 1] ?? ''
}
