/**
 * Helpers the generators share: identifiers split into words (for Go's PascalCase and Python's
 * snake_case), names made unique within a scope, and descriptions made safe to put in a comment.
 */

/**
 * The words of an identifier: `avatarURL` -> avatar, URL; `HTTPServer` -> HTTP, Server;
 * `SUPER_ADMIN` -> SUPER, ADMIN; `userIDs` -> user, IDs; `utf8Name` -> utf8, Name.
 * Digits stay with the word before them. Underscores and other non-alphanumerics only separate.
 */
export function splitWords(name: string): string[] {
  return name.match(/[A-Z]{2,}s(?![a-z0-9])|[A-Z][A-Z0-9]*(?![a-z])|[A-Z]?[a-z][a-z0-9]*|[0-9][a-z0-9]*/g) ?? []
}

/**
 * A namer for one scope (a package, a struct, a class): it returns `wanted` when free, else
 * `wanted` followed by as many `_` as it takes. Names are claimed in call order, so callers go
 * through the schema in its canonical order and the result is deterministic.
 * A reserved Set is consulted as it is, never copied: a class namer is made per class, and copying
 * a language's keywords each time cost more than naming the fields.
 */
export function scopeNamer(...reserved: Iterable<string>[]): (wanted: string) => string {
  const fixed = reserved.filter((names): names is ReadonlySet<string> => names instanceof Set)
  const taken = new Set<string>()
  for (const names of reserved) if (!(names instanceof Set)) for (const name of names) taken.add(name)
  const isTaken = (name: string) => taken.has(name) || fixed.some((names) => names.has(name))
  return (wanted) => {
    let name = wanted
    while (isTaken(name)) name += '_'
    taken.add(name)
    return name
  }
}

/** `compute` remembering its results: a schema repeats its field names (`id`, `createdAt`...) and types across thousands of models. */
export function memoized<K, V>(compute: (key: K) => V): (key: K) => V {
  const results = new Map<K, V>()
  return (key) => {
    let result = results.get(key)
    if (result === undefined) {
      result = compute(key)
      results.set(key, result)
    }
    return result
  }
}

const NO_LINES: readonly string[] = Object.freeze([])

/**
 * A description as lines safe for any comment or docstring: line breaks normalised (`\r\n`, `\r`,
 * U+2028, U+2029 all end a line, since some languages treat them so), control characters that compilers reject
 * replaced by U+FFFD, trailing whitespace removed (formatters remove it), blank lines at both ends dropped.
 * Empty when there is nothing to say.
 */
export function descriptionLines(description: string | undefined): readonly string[] {
  // Most fields have no description: they all share one empty list.
  if (description === undefined) return NO_LINES
  const lines = description
    .split(/\r\n|[\r\n\u2028\u2029]/)
    .map((line) => line.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/g, '\ufffd').trimEnd())
  while (lines.length > 0 && lines[0] === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}
