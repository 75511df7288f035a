/**
 * Search a model (or enum, or join table) by its name or its table's: matches starting with the query
 * first; Enter or a click brings the box into view and selects it.
 */
import type { DiagramNode } from '../diagram'
import { h } from './dom'

const MAX_MATCHES = 12

export class Search {
  private matches: DiagramNode[] = []
  private active = 0

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLElement,
    private readonly nodes: () => readonly DiagramNode[],
    private readonly onPick: (id: string) => void,
  ) {
    input.addEventListener('input', () => this.update())
    input.addEventListener('focus', () => this.update())
    input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 150))
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        if (this.matches.length === 0) return
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.matches.length) % this.matches.length
        this.draw()
      } else if (event.key === 'Enter') {
        event.preventDefault()
        const node = this.matches[this.active]
        if (node) this.pick(node)
      } else if (event.key === 'Escape') {
        input.value = ''
        list.hidden = true
        input.blur()
      }
    })
  }

  private update(): void {
    const query = this.input.value.trim().toLowerCase()
    this.active = 0
    if (!query) {
      this.matches = []
      this.list.hidden = true
      return
    }
    const scored: { node: DiagramNode; score: number }[] = []
    for (const node of this.nodes()) {
      const name = node.name.toLowerCase()
      const score = name === query ? 0 : name.startsWith(query) ? 1 : name.includes(query) ? 2 : node.dbName.toLowerCase().includes(query) ? 3 : -1
      if (score >= 0) scored.push({ node, score })
    }
    scored.sort((a, b) => a.score - b.score || a.node.name.localeCompare(b.node.name))
    this.matches = scored.slice(0, MAX_MATCHES).map((m) => m.node)
    this.draw()
  }

  private draw(): void {
    this.list.replaceChildren(
      ...(this.matches.length === 0
        ? [h('li', { class: 'none' }, 'No model matches')]
        : this.matches.map((node, i) => {
            const item = h('li', { role: 'option', 'aria-selected': String(i === this.active), 'data-id': node.id }, node.name, h('span', { class: 'muted' }, ` ${node.kind === 'model' ? node.dbName : node.kind}`))
            item.addEventListener('mousedown', (event) => {
              event.preventDefault()
              this.pick(node)
            })
            return item
          })),
    )
    this.list.hidden = false
  }

  private pick(node: DiagramNode): void {
    this.list.hidden = true
    this.input.value = node.name
    this.input.blur()
    this.onPick(node.id)
  }
}
