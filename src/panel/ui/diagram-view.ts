/**
 * The ER diagram as SVG: boxes where layout.ts put them, an edge per relation from the key's row to
 * the referenced row in crow's-foot notation (many: a crow's foot; one: a bar; optional: a circle),
 * with the delete rule written beside the key when deleting the referenced row does something
 * (cascade, set null, set default). The wheel zooms around the pointer, dragging pans, a click selects.
 *
 * Zoomed out below DETAIL_ZOOM, a box shows only its name, as large as the box allows (rows would be
 * too small to read); a box's rows are drawn when it first comes into view at a readable zoom. So the
 * first paint of a big schema draws a few elements per box, not one per field.
 */
import type { DiagramData, DiagramEdge, DiagramNode, DiagramRow, Mark } from '../diagram'
import { BOX, type DiagramLayout, edgeRoute, layoutDiagram, rowTypeLabel } from '../layout'
import { s } from './dom'

interface View {
  x: number
  y: number
  k: number
}

const MIN_ZOOM = 0.05
/** From this zoom on, boxes show their rows. */
const DETAIL_ZOOM = 0.45
const MAX_ZOOM = 3
/** A press that moves less than this (px) is a click, not a drag. */
const CLICK_SLOP = 4

const MARK_LABEL: Record<Mark, string> = { pk: 'PK', fk: 'FK', unique: 'UQ', index: 'IX' }
const DELETE_LABEL: Partial<Record<DiagramEdge['onDelete'], string>> = { Cascade: 'cascade', SetNull: 'set null', SetDefault: 'set default' }

export class DiagramView {
  readonly svg: SVGSVGElement
  private readonly viewport: SVGGElement
  private view: View = { x: 0, y: 0, k: 1 }
  private diagram: DiagramData | undefined
  private layout: DiagramLayout | undefined
  private nodeElements = new Map<string, SVGGElement>()
  private edgeElements = new Map<string, SVGGElement>()
  /** Boxes whose rows are not drawn yet. */
  private undetailed = new Set<string>()
  private selected: string | null = null
  /** The container's size, kept by a ResizeObserver: reading it from the DOM after drawing would force a layout of the whole SVG. */
  private size = { width: 0, height: 0 }
  private detailFrame = 0

  constructor(
    container: HTMLElement,
    /** `redrawn`: the selection only carried over to a new diagram, nobody clicked. */
    private readonly onSelect: (id: string | null, redrawn: boolean) => void,
  ) {
    this.svg = s('svg', { class: 'diagram', role: 'img', 'aria-label': 'ER diagram of the schema' })
    this.svg.append(markers())
    this.viewport = s('g', { class: 'viewport' })
    this.svg.append(this.viewport)
    container.append(this.svg, this.controls())
    const { width, height } = container.getBoundingClientRect()
    this.size = { width, height }
    new ResizeObserver(([entry]) => {
      if (!entry) return
      this.size = { width: entry.contentRect.width, height: entry.contentRect.height }
      this.scheduleDetail()
    }).observe(container)
    this.listen()
  }

  get nodes(): readonly DiagramNode[] {
    return this.diagram?.nodes ?? []
  }

  /** Lays the diagram out and draws it. The view (zoom, pan) stays, and the selected box stays where it was on screen. */
  show(diagram: DiagramData): void {
    const started = performance.now()
    const layout = layoutDiagram(diagram)
    const layoutMs = performance.now() - started
    const first = this.layout === undefined
    const anchor = this.selected && this.layout?.boxes[this.selected]
    this.diagram = diagram
    this.layout = layout
    this.draw()
    this.svg.dataset.layoutMs = layoutMs.toFixed(1)
    this.svg.dataset.renderMs = (performance.now() - started - layoutMs).toFixed(1)
    const moved = anchor && this.selected ? layout.boxes[this.selected] : undefined
    if (first) this.fit()
    else if (anchor && moved) this.setView({ ...this.view, x: this.view.x - (moved.x - anchor.x) * this.view.k, y: this.view.y - (moved.y - anchor.y) * this.view.k })
    this.select(this.selected, true)
    this.svg.classList.toggle('overview', this.view.k < DETAIL_ZOOM)
    this.scheduleDetail()
  }

  /** Marks the box and its edges; null (or a box no longer there) clears. Calls onSelect. */
  select(id: string | null, redrawn = false): void {
    for (const element of this.svg.querySelectorAll('.selected, .active')) element.classList.remove('selected', 'active')
    this.selected = id && this.nodeElements.has(id) ? id : null
    this.svg.classList.toggle('has-selection', this.selected !== null)
    if (this.selected) {
      this.nodeElements.get(this.selected)!.classList.add('selected')
      for (const edge of this.diagram!.edges) {
        if (edge.from.node === this.selected || edge.to.node === this.selected) this.edgeElements.get(edge.id)?.classList.add('active')
      }
    }
    this.onSelect(this.selected, redrawn)
  }

  /** Selects the box and brings it to the middle of the view at a readable size. */
  focus(id: string): void {
    const box = this.layout?.boxes[id]
    if (!box) return
    const k = Math.max(this.view.k, 1)
    const { width, height } = this.size
    this.setView({ k, x: width / 2 - (box.x + box.width / 2) * k, y: height / 2 - (box.y + Math.min(box.height, height / k - 40) / 2) * k })
    this.select(id)
    const element = this.nodeElements.get(id)
    element?.classList.remove('found')
    // Restart the highlight animation.
    void element?.getBoundingClientRect()
    element?.classList.add('found')
  }

  /** The whole diagram in view. */
  fit(): void {
    if (!this.layout) return
    const { width, height } = this.size
    const margin = 24
    const k = clamp(Math.min((width - 2 * margin) / Math.max(this.layout.width, 1), (height - 2 * margin) / Math.max(this.layout.height, 1)), MIN_ZOOM, 1)
    this.setView({ k, x: (width - this.layout.width * k) / 2, y: (height - this.layout.height * k) / 2 })
  }

  private zoomAt(factor: number, px: number, py: number): void {
    const k = clamp(this.view.k * factor, MIN_ZOOM, MAX_ZOOM)
    const ratio = k / this.view.k
    this.setView({ k, x: px - (px - this.view.x) * ratio, y: py - (py - this.view.y) * ratio })
  }

  private setView(view: View): void {
    this.view = view
    this.viewport.setAttribute('transform', `translate(${view.x.toFixed(1)} ${view.y.toFixed(1)}) scale(${view.k.toFixed(4)})`)
    this.svg.dataset.zoom = view.k.toFixed(3)
    this.svg.classList.toggle('overview', view.k < DETAIL_ZOOM)
    this.scheduleDetail()
  }

  private scheduleDetail(): void {
    if (this.detailFrame !== 0 || this.undetailed.size === 0) return
    this.detailFrame = requestAnimationFrame(() => {
      this.detailFrame = 0
      this.drawVisibleRows()
    })
  }

  /** Draws the rows of the boxes in view (and a margin around it), when they are readable. */
  private drawVisibleRows(): void {
    const { x, y, k } = this.view
    if (k < DETAIL_ZOOM || !this.layout || !this.diagram) return
    const margin = 200
    const left = (-x - margin) / k
    const top = (-y - margin) / k
    const right = (this.size.width - x + margin) / k
    const bottom = (this.size.height - y + margin) / k
    for (const node of this.diagram.nodes) {
      if (!this.undetailed.has(node.id)) continue
      const box = this.layout.boxes[node.id]
      if (!box || box.x > right || box.x + box.width < left || box.y > bottom || box.y + box.height < top) continue
      this.nodeElements.get(node.id)!.querySelector('.rows')!.replaceChildren(...node.rows.map((row, i) => drawRow(row, i, box.width)))
      this.undetailed.delete(node.id)
    }
  }

  private draw(): void {
    const diagram = this.diagram!
    const layout = this.layout!
    const byId = new Map(diagram.nodes.map((node) => [node.id, node]))
    const edges = s('g', { class: 'edges' })
    const nodes = s('g', { class: 'nodes' })
    this.edgeElements = new Map()
    this.nodeElements = new Map()
    this.undetailed = new Set(diagram.nodes.map((node) => node.id))
    for (const edge of diagram.edges) {
      const element = drawEdge(edge, byId, layout)
      if (element) {
        edges.append(element)
        this.edgeElements.set(edge.id, element)
      }
    }
    for (const node of diagram.nodes) {
      const box = layout.boxes[node.id]
      if (!box) continue
      const element = drawNode(node, box)
      nodes.append(element)
      this.nodeElements.set(node.id, element)
    }
    this.viewport.replaceChildren(edges, nodes)
  }

  private listen(): void {
    let press: { x: number; y: number; view: View; moved: boolean; target: EventTarget | null } | undefined
    this.svg.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return
      press = { x: event.clientX, y: event.clientY, view: this.view, moved: false, target: event.target }
      this.svg.setPointerCapture(event.pointerId)
    })
    this.svg.addEventListener('pointermove', (event) => {
      if (!press) return
      const dx = event.clientX - press.x
      const dy = event.clientY - press.y
      if (!press.moved && Math.hypot(dx, dy) < CLICK_SLOP) return
      press.moved = true
      this.svg.classList.add('panning')
      this.setView({ ...press.view, x: press.view.x + dx, y: press.view.y + dy })
    })
    const release = (event: PointerEvent) => {
      if (!press) return
      const { moved, target } = press
      press = undefined
      this.svg.classList.remove('panning')
      if (this.svg.hasPointerCapture(event.pointerId)) this.svg.releasePointerCapture(event.pointerId)
      if (moved || event.type === 'pointercancel') return
      const node = target instanceof Element ? target.closest<SVGGElement>('g.node') : null
      this.select(node?.dataset.id ?? null)
    }
    this.svg.addEventListener('pointerup', release)
    this.svg.addEventListener('pointercancel', release)
    this.svg.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault()
        const rect = this.svg.getBoundingClientRect()
        // Pixels, lines or pages: a notch of a mouse wheel is about 100 px.
        const delta = event.deltaY * (event.deltaMode === 1 ? 33 : event.deltaMode === 2 ? 500 : 1)
        this.zoomAt(Math.exp(-delta * 0.0015), event.clientX - rect.left, event.clientY - rect.top)
      },
      { passive: false },
    )
  }

  private controls(): HTMLElement {
    const bar = document.createElement('div')
    bar.className = 'zoom'
    const button = (label: string, title: string, action: () => void) => {
      const b = document.createElement('button')
      b.type = 'button'
      b.textContent = label
      b.title = title
      b.addEventListener('click', action)
      bar.append(b)
    }
    const middle = () => [this.size.width / 2, this.size.height / 2] as const
    button('+', 'Zoom in', () => this.zoomAt(1.25, ...middle()))
    button('−', 'Zoom out', () => this.zoomAt(0.8, ...middle()))
    button('Fit', 'Show the whole diagram (0)', () => this.fit())
    return bar
  }
}

function drawNode(node: DiagramNode, box: { x: number; y: number; width: number; height: number }): SVGGElement {
  const g = s('g', { class: `node ${node.kind}`, 'data-id': node.id, 'data-name': node.name, transform: `translate(${box.x} ${box.y})` })
  const what = node.kind === 'enum' ? 'enum' : node.kind === 'join' ? 'join table of a many-to-many relation' : 'model'
  g.append(s('title', {}, `${node.name} (${what}, ${node.kind === 'enum' ? 'type' : 'table'} ${node.dbName})${node.description ? `\n${node.description}` : ''}`))
  g.append(s('rect', { class: 'box', width: box.width, height: box.height, rx: 6 }))
  g.append(s('path', { class: 'head', d: `M0 6a6 6 0 0 1 6-6h${box.width - 12}a6 6 0 0 1 6 6v${BOX.headerHeight - 6}h-${box.width}z` }))
  g.append(s('text', { class: 'name', x: BOX.paddingX, y: 19 }, node.name))
  g.append(s('text', { class: 'dbname', x: box.width - BOX.paddingX, y: 19, 'text-anchor': 'end' }, node.kind === 'enum' ? 'enum' : node.dbName))
  g.append(s('g', { class: 'rows' }))
  // The name as the overview shows it: as large as fits the box (monospace: about 0.62 em per character).
  const size = Math.max(12, Math.min(((box.width - 2 * BOX.paddingX) / (node.name.length * 0.62)), box.height * 0.4, 64))
  g.append(s('text', { class: 'label', x: box.width / 2, y: (box.height + BOX.headerHeight) / 2, 'font-size': size.toFixed(0), 'text-anchor': 'middle', 'dominant-baseline': 'central' }, node.name))
  return g
}

function drawRow(row: DiagramRow, index: number, width: number): SVGGElement {
  const y = BOX.headerHeight + index * BOX.rowHeight
  const g = s('g', { class: `row ${row.kind}${row.required ? '' : ' optional'}`, transform: `translate(0 ${y})` })
  if (index % 2 === 1) g.append(s('rect', { class: 'stripe', x: 1, width: width - 2, height: BOX.rowHeight }))
  const mark = row.marks[0]
  if (mark) g.append(s('text', { class: `mark ${mark}`, x: BOX.paddingX, y: 13 }, MARK_LABEL[mark]))
  const x = row.kind === 'value' ? BOX.paddingX : BOX.paddingX + BOX.markWidth
  g.append(s('text', { class: 'field', x, y: 13 }, row.name))
  const type = rowTypeLabel(row)
  if (type) g.append(s('text', { class: 'type', x: width - BOX.paddingX, y: 13, 'text-anchor': 'end' }, type))
  const notes = [row.column && row.column !== row.name ? `column ${row.column}` : '', row.default ? `default ${row.default}` : '', row.description ?? ''].filter(Boolean)
  if (notes.length > 0) g.append(s('title', {}, `${row.name}: ${notes.join('\n')}`))
  return g
}

function drawEdge(edge: DiagramEdge, nodes: Map<string, DiagramNode>, layout: DiagramLayout): SVGGElement | undefined {
  const from = nodes.get(edge.from.node)
  const to = nodes.get(edge.to.node)
  if (!from || !to) return undefined
  const route = edgeRoute(edge, from, to, layout)
  if (!route) return undefined
  const { x1, y1, dir1, x2, y2, dir2 } = route
  const bend = Math.max(36, Math.abs(x2 - x1) / 2)
  const d = `M${x1} ${y1}C${x1 + dir1 * bend} ${y1} ${x2 + dir2 * bend} ${y2} ${x2} ${y2}`
  const g = s('g', { class: `edge c${edge.cardinality.replace('-', '')}`, 'data-id': edge.id })
  const fromEnd = edge.cardinality === '1-1' ? 'one' : 'many'
  const toEnd = edge.required ? 'one' : 'zero-one'
  const kind = edge.cardinality === '1-1' ? 'one-to-one' : edge.cardinality === 'n-m' ? 'many-to-many' : 'many-to-one'
  const fromLabel = `${from.name}${edge.from.field ? `.${edge.from.field}` : ''}`
  const toLabel = `${to.name}${edge.to.field ? `.${edge.to.field}` : ''}`
  g.append(s('title', {}, `${fromLabel} → ${toLabel}\n${kind} (${edge.relationName}), on delete ${edge.onDelete}, on update ${edge.onUpdate}`))
  g.append(s('path', { class: 'hit', d }))
  g.append(s('path', { class: 'line', d, 'marker-start': `url(#okra-${fromEnd})`, 'marker-end': `url(#okra-${toEnd})` }))
  const rule = edge.cardinality === 'n-m' ? undefined : DELETE_LABEL[edge.onDelete]
  if (rule) g.append(s('text', { class: 'rule', x: x1 + dir1 * 16, y: y1 - 4, 'text-anchor': dir1 === 1 ? 'start' : 'end' }, rule))
  return g
}

/** Crow's-foot ends, drawn for the end of a path pointing into the box at x = 0 (`auto-start-reverse` turns them for the start). */
function markers(): SVGDefsElement {
  const marker = (id: string, d: string, circle = false) =>
    s(
      'marker',
      { id: `okra-${id}`, viewBox: '-16 -8 17 16', refX: 0, refY: 0, markerWidth: 17, markerHeight: 16, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
      s('path', { class: 'end', d }),
      circle ? s('circle', { class: 'end', cx: -12, cy: 0, r: 3.2 }) : null,
    )
  return s(
    'defs',
    {},
    marker('many', 'M-12 0L0-6M-12 0L0 6M-12 0H0'),
    marker('one', 'M-6-6V6M-10-6V6'),
    marker('zero-one', 'M-5-6V6', true),
  )
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
