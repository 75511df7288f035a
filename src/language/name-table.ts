/**
 * Names, each kept as one string. A schema writes the same few hundred names (`id`, `String`, `default`,
 * `fields`...) tens of thousands of times: with one string per name, a name seen before costs no new
 * string, the syntax trees are smaller, and the checker's Map lookups by name find their keys by
 * identity instead of comparing text. The lexer asks for a name by its position in the source, so a
 * known name is found without being copied out first (an open-addressing table, linear probing).
 */
export class NameTable {
  private slots = emptySlots(1024)
  private count = 0

  /**
   * `text.slice(start, end)`: the string this table holds for that name, or a new one it keeps from now on.
   * `hash` is `hashOf(text, start, end)`, passed by a caller that computed it already (the lexer does, while scanning).
   */
  name(text: string, start: number, end: number, hash = hashOf(text, start, end)): string {
    const mask = this.slots.length - 1
    for (let i = slotOf(hash, mask); ; i = (i + 1) & mask) {
      const known = this.slots[i]
      if (known === undefined) break
      if (known.length === end - start && text.startsWith(known, start)) return known
    }
    const name = text.slice(start, end)
    // At most half full, so a search soon meets an empty slot.
    if (++this.count * 2 > this.slots.length) this.grow()
    this.place(name)
    return name
  }

  private place(name: string): void {
    const mask = this.slots.length - 1
    let i = slotOf(hashOf(name, 0, name.length), mask)
    while (this.slots[i] !== undefined) i = (i + 1) & mask
    this.slots[i] = name
  }

  private grow(): void {
    const names = this.slots
    this.slots = emptySlots(names.length * 2)
    for (const name of names) if (name !== undefined) this.place(name)
  }
}

function emptySlots(size: number): (string | undefined)[] {
  return new Array<string | undefined>(size).fill(undefined)
}

/** The hash of a name: `hash * 31 + code` over its UTF-16 code units, kept to 32 bits. */
export function hashOf(text: string, start: number, end: number): number {
  let hash = 0
  for (let i = start; i < end; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0
  return hash
}

/** Where the search for a name starts: its hash, mixed so that `Order2` and `Order3` do not land side by side. */
function slotOf(hash: number, mask: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b)
  return (hash ^ (hash >>> 16)) & mask
}
