/**
 * The side panel's Model tab: the selected box's fields (or values, or join columns) with their keys,
 * its constraints and relations, then, fetched when it is selected, its generated code and its table
 * as the database has it.
 */
import type { DiagramData, DiagramNode, DiagramRow } from '../diagram'
import { rowTypeLabel } from '../layout'
import type { Language, ModelDetails } from '../protocol'
import type { PanelTable } from '../source'
import { fetchDetails } from './api'
import { h, show } from './dom'

const LANGUAGE_NAMES: Record<Language, string> = { typescript: 'TypeScript', go: 'Go', python: 'Python' }

export class DetailsPanel {
  /** Which request is current: a slower answer for an earlier selection is dropped. */
  private request = 0
  private language: Language = 'typescript'

  constructor(private readonly element: HTMLElement) {}

  /** Shows the node (or the hint when null); for a model, fetches its code and table. */
  show(node: DiagramNode | null, diagram: DiagramData | null): void {
    const request = ++this.request
    if (!node || !diagram) {
      show(this.element, h('p', { class: 'hint' }, 'Click a model to see its fields, its generated code and its table.'))
      return
    }
    const remote = h('div', { class: 'remote' }, node.kind === 'model' ? h('p', { class: 'hint' }, 'Loading its code and table…') : null)
    show(this.element, heading(node), node.description ? h('p', { class: 'description' }, node.description) : null, rowsTable(node), constraints(node), relations(node, diagram), remote)
    if (node.kind !== 'model') return
    fetchDetails(node.name).then(
      (details) => {
        if (request === this.request) show(remote, this.code(details), table(details.table))
      },
      (error: unknown) => {
        if (request === this.request) show(remote, h('p', { class: 'error' }, String(error instanceof Error ? error.message : error)))
      },
    )
  }

  private code(details: ModelDetails): HTMLElement {
    const languages = (Object.keys(LANGUAGE_NAMES) as Language[]).filter((language) => details.code[language] !== undefined)
    if (!languages.includes(this.language)) this.language = languages[0] ?? 'typescript'
    const pre = h('pre', { class: 'code' }, details.code[this.language] ?? '')
    const tabs = h('div', { class: 'subtabs', role: 'tablist' })
    for (const language of languages) {
      const button = h('button', { type: 'button', role: 'tab', 'aria-selected': String(language === this.language), 'data-language': language }, LANGUAGE_NAMES[language])
      button.addEventListener('click', () => {
        this.language = language
        for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b === button))
        pre.textContent = details.code[language] ?? ''
      })
      tabs.append(button)
    }
    return h('section', { class: 'generated' }, h('h3', {}, 'Generated code'), tabs, pre)
  }
}

function heading(node: DiagramNode): HTMLElement {
  const what = node.kind === 'enum' ? `enum · type ${node.dbName}` : node.kind === 'join' ? `join table ${node.dbName} (many-to-many)` : `model · table ${node.dbName}`
  return h('header', { class: 'details-head' }, h('h2', {}, node.name), h('span', { class: 'muted' }, what))
}

function rowsTable(node: DiagramNode): HTMLElement {
  if (node.kind === 'enum') return h('ul', { class: 'values' }, ...node.rows.map((row) => h('li', {}, h('code', {}, row.name), row.description ? h('span', { class: 'muted' }, ` ${row.description}`) : null)))
  const body = node.rows.map((row) =>
    h(
      'tr',
      { class: row.kind === 'relation' ? 'relation' : undefined, 'data-field': row.name },
      h('td', { class: 'marks' }, row.marks.map((m) => m.toUpperCase()).join(' ')),
      h('td', {}, h('code', {}, row.name)),
      h('td', {}, h('code', {}, rowTypeLabel(row))),
      h('td', { class: 'muted' }, row.column ?? '', extras(row) ? h('div', { class: 'extra' }, extras(row)) : null),
    ),
  )
  return h(
    'table',
    { class: 'fields model-fields' },
    h('thead', {}, h('tr', {}, h('th', {}, 'key'), h('th', {}, 'field'), h('th', {}, 'type'), h('th', {}, 'column'))),
    h('tbody', {}, ...body),
  )
}

/** Default, @updatedAt and native type, as the schema writes them. */
function extras(row: DiagramRow): string {
  return [row.default && `= ${row.default}`, row.updatedAt && '@updatedAt', row.dbType && `@db ${row.dbType}`].filter(Boolean).join(' ')
}

function constraints(node: DiagramNode): HTMLElement | null {
  const lines = [
    node.primaryKey && node.primaryKey.length > 1 ? `primary key (${node.primaryKey.join(', ')})` : '',
    ...(node.uniques ?? []).map((u) => `unique (${u.fields.join(', ')}) ${u.name}`),
    ...(node.indexes ?? []).map((i) => `index (${i.fields.join(', ')}) ${i.name}`),
  ].filter(Boolean)
  if (lines.length === 0) return null
  return h('section', {}, h('h3', {}, 'Keys and indexes'), h('ul', { class: 'plain' }, ...lines.map((line) => h('li', {}, h('code', {}, line)))))
}

function relations(node: DiagramNode, diagram: DiagramData): HTMLElement | null {
  const name = (id: string) => diagram.nodes.find((n) => n.id === id)?.name ?? id
  const lines = diagram.edges
    .filter((edge) => edge.from.node === node.id || edge.to.node === node.id)
    .map((edge) => {
      const outgoing = edge.from.node === node.id
      const other = name(outgoing ? edge.to.node : edge.from.node)
      const field = outgoing ? edge.from.field : edge.to.field
      const kind = edge.cardinality === 'n-m' ? 'many-to-many' : edge.cardinality === '1-1' ? 'one-to-one' : outgoing ? 'many-to-one' : 'one-to-many'
      const rule = edge.cardinality === 'n-m' ? '' : `, on delete ${edge.onDelete}`
      return `${field ?? '(no field)'} ${outgoing ? '→' : '←'} ${other}: ${kind}${rule}`
    })
  if (lines.length === 0) return null
  return h('section', {}, h('h3', {}, 'Relations'), h('ul', { class: 'plain' }, ...lines.map((line) => h('li', {}, line))))
}

function table(found: PanelTable): HTMLElement {
  const title = h('h3', {}, 'Its table in the database')
  if ('unavailable' in found) return h('section', { class: 'db-table' }, title, h('p', { class: 'hint' }, found.unavailable))
  if (!found.table) return h('section', { class: 'db-table' }, title, h('p', { class: 'hint' }, 'The database has no such table yet.'))
  const t = found.table
  return h(
    'section',
    { class: 'db-table' },
    title,
    h('p', { class: 'muted' }, h('code', {}, t.name)),
    h(
      'table',
      { class: 'fields' },
      h('thead', {}, h('tr', {}, h('th', {}, 'column'), h('th', {}, 'type'), h('th', {}, 'null'), h('th', {}, 'default'))),
      h(
        'tbody',
        {},
        ...t.columns.map((c) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, c.name), t.primaryKey.includes(c.name) ? h('span', { class: 'mark pk' }, ' PK') : null),
            h('td', {}, h('code', {}, c.type)),
            h('td', {}, c.nullable ? 'yes' : ''),
            h('td', { class: 'muted' }, c.default ? (c.default.kind === 'value' ? String(c.default.value) : `${c.default.kind}()`) : (c.rawDefault ?? '')),
          ),
        ),
      ),
    ),
    t.indexes.length + t.foreignKeys.length > 0
      ? h(
          'ul',
          { class: 'plain' },
          ...t.indexes.map((i) => h('li', {}, h('code', {}, `${i.unique ? 'unique' : 'index'} ${i.name} (${i.columns.join(', ')})`))),
          ...t.foreignKeys.map((fk) => h('li', {}, h('code', {}, `${fk.name}: (${fk.columns.join(', ')}) → ${fk.refTable} (${fk.refColumns.join(', ')}) on delete ${fk.onDelete}`))),
        )
      : null,
  )
}
