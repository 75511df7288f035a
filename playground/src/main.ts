// Everything on this page comes from `virtual:okra/models`: the enum objects and `models` at run time,
// and the model types through the generated okra.d.ts.
import { Role, Status, models } from 'virtual:okra/models'
import type { Post, User } from 'virtual:okra/models'

/** A value typed by the schema: remove a required field from the schema and this stops compiling. */
const ada: User = {
  id: '6f1c2e1a-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  name: 'Ada',
  role: Role.EDITOR,
  createdAt: new Date(0).toISOString(),
}

const firstPost: Post = { id: 1, title: 'Hello, schema', status: Status.DRAFT, authorId: ada.id }

function cell(text: string, muted = false): HTMLTableCellElement {
  const td = document.createElement('td')
  td.textContent = text
  if (muted) td.className = 'muted'
  return td
}

function modelSection(name: string, model: { table: string; fields: Record<string, { kind: string; column: string | null; type: string; required: boolean; list: boolean }> }): HTMLElement {
  const section = document.createElement('section')
  const title = document.createElement('h2')
  title.textContent = `${name} → table ${model.table}`
  const table = document.createElement('table')
  const head = table.insertRow()
  for (const label of ['field', 'column', 'type', 'required', 'list']) head.append(Object.assign(document.createElement('th'), { textContent: label }))
  for (const [field, info] of Object.entries(model.fields)) {
    const row = table.insertRow()
    row.append(cell(field), cell(info.column ?? '(relation)', info.column === null), cell(info.type), cell(info.required ? 'yes' : 'no'), cell(info.list ? 'yes' : ''))
  }
  section.append(title, table)
  return section
}

function enumSection(name: string, values: Record<string, string>): HTMLElement {
  const section = document.createElement('section')
  section.append(Object.assign(document.createElement('h2'), { textContent: `enum ${name}` }))
  section.append(Object.assign(document.createElement('p'), { textContent: Object.values(values).join(' · ') }))
  return section
}

const app = document.getElementById('app')!
app.replaceChildren(
  ...Object.entries(models).map(([name, model]) => modelSection(name, model)),
  enumSection('Role', Role),
  enumSection('Status', Status),
  Object.assign(document.createElement('pre'), { textContent: `example rows:\n${JSON.stringify({ ada, firstPost }, null, 2)}` }),
)
