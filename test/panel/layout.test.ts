import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { syntheticSources } from '../../bench/lib/synthetic.mjs'
import type { Source } from '../../src/language/source'
import { type DiagramData, buildDiagram } from '../../src/panel/diagram'
import { BOX, type Box, type DiagramLayout, boxSize, edgeRoute, layoutDiagram, rowTypeLabel } from '../../src/panel/layout'
import { compileSchema } from '../../src/schema/compile'
import { validFixtures } from '../fixtures/valid/load'

function diagramOf(sources: Source[]): DiagramData {
  const { schema, diagnostics } = compileSchema(sources)
  if (!schema) throw new Error(diagnostics.map((d) => d.message).join('\n'))
  return buildDiagram(schema)
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** Every node placed once, at finite coordinates inside the layout's size, and no two boxes overlapping. */
function expectSound(diagram: DiagramData, layout: DiagramLayout, label: string): void {
  expect(Object.keys(layout.boxes).sort(), label).toEqual(diagram.nodes.map((n) => n.id).sort())
  const boxes = diagram.nodes.map((n) => layout.boxes[n.id]!)
  for (const [i, box] of boxes.entries()) {
    const id = diagram.nodes[i]!.id
    for (const value of [box.x, box.y, box.width, box.height]) expect(Number.isFinite(value), `${label} ${id}`).toBe(true)
    expect(box.x, `${label} ${id}`).toBeGreaterThanOrEqual(0)
    expect(box.y, `${label} ${id}`).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width, `${label} ${id}`).toBeLessThanOrEqual(layout.width)
    expect(box.y + box.height, `${label} ${id}`).toBeLessThanOrEqual(layout.height)
    expect(box).toMatchObject(boxSize(diagram.nodes[i]!))
  }
  const overlapping: string[] = []
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i]!, boxes[j]!)) overlapping.push(`${diagram.nodes[i]!.id} / ${diagram.nodes[j]!.id}`)
  }
  expect(overlapping, label).toEqual([])
}

describe('layoutDiagram', () => {
  it('places every box of every valid fixture, none overlapping another', () => {
    for (const fixture of validFixtures()) {
      const diagram = diagramOf(fixture.sources)
      expectSound(diagram, layoutDiagram(diagram), fixture.name)
    }
  })

  it('places the 38-model commerce schema (with its enums and join tables) in a screen-like shape', () => {
    const diagram = diagramOf(validFixtures().find((f) => f.name === 'commerce')!.sources)
    const layout = layoutDiagram(diagram)
    expectSound(diagram, layout, 'commerce')
    // Packed towards a wide screen, not one long strip.
    expect(layout.width / layout.height).toBeGreaterThan(0.5)
    expect(layout.width / layout.height).toBeLessThan(4)
    // A referenced model stands above the models that reference it.
    expect(layout.boxes['model:Organization']!.y + layout.boxes['model:Organization']!.height).toBeLessThan(layout.boxes['model:Product']!.y)
    expect(layout.boxes['model:Product']!.y + layout.boxes['model:Product']!.height).toBeLessThan(layout.boxes['model:ProductVariant']!.y)
  })

  it('places 200 models; prints the time it took', () => {
    const diagram = diagramOf(syntheticSources(200))
    const started = performance.now()
    const layout = layoutDiagram(diagram)
    const ms = performance.now() - started
    expectSound(diagram, layout, 'synthetic 200')
    console.log(`layout of ${diagram.nodes.length} boxes (200 models) and ${diagram.edges.length} edges: ${ms.toFixed(0)} ms (first run, cold)`)
  })

  it('is deterministic', () => {
    const sources = validFixtures().find((f) => f.name === 'commerce')!.sources
    expect(layoutDiagram(diagramOf(sources))).toEqual(layoutDiagram(diagramOf(sources)))
  })
})

describe('boxSize', () => {
  it('leaves room for the widest row: key mark, name, gap and type', () => {
    const diagram = diagramOf(validFixtures().find((f) => f.name === 'commerce')!.sources)
    for (const node of diagram.nodes) {
      const { width, height } = boxSize(node)
      expect(height).toBe(BOX.headerHeight + node.rows.length * BOX.rowHeight + BOX.paddingBottom)
      for (const row of node.rows) {
        const text = (row.name.length + rowTypeLabel(row).length) * BOX.charWidth
        expect(width, `${node.id}.${row.name}`).toBeGreaterThanOrEqual(text + BOX.markWidth + 2 * BOX.paddingX)
      }
      expect(width).toBeGreaterThanOrEqual((node.name.length + 2 + node.dbName.length) * BOX.charWidth)
    }
  })
})

describe('edgeRoute', () => {
  it("starts at the key's row and ends at the referenced row, on the sides that face each other", () => {
    const diagram = diagramOf(validFixtures().find((f) => f.name === 'commerce')!.sources)
    const layout = layoutDiagram(diagram)
    const byId = new Map(diagram.nodes.map((n) => [n.id, n]))
    for (const edge of diagram.edges) {
      const from = byId.get(edge.from.node)!
      const to = byId.get(edge.to.node)!
      const route = edgeRoute(edge, from, to, layout)!
      const a = layout.boxes[from.id]!
      const b = layout.boxes[to.id]!
      const fromRow = from.rows.findIndex((r) => r.name === edge.from.rows[0] || r.column === edge.from.rows[0])
      const toRow = to.rows.findIndex((r) => r.name === edge.to.rows[0])
      expect(route.y1, edge.id).toBe(a.y + BOX.headerHeight + (fromRow + 0.5) * BOX.rowHeight)
      expect(route.y2, edge.id).toBe(b.y + BOX.headerHeight + (toRow + 0.5) * BOX.rowHeight)
      expect([a.x, a.x + a.width], edge.id).toContain(route.x1)
      expect([b.x, b.x + b.width], edge.id).toContain(route.x2)
      // Leaving a box means heading away from it.
      expect(route.dir1, edge.id).toBe(route.x1 === a.x ? -1 : 1)
      expect(route.dir2, edge.id).toBe(route.x2 === b.x ? -1 : 1)
    }
  })
})
