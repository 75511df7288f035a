/**
 * The dev panel page: follows the server's state and draws it. The diagram is laid out again only
 * when the schema changed (its hash); the panels are redrawn on every state.
 */
import type { PanelState } from '../protocol'
import { followState, initialState } from './api'
import { DetailsPanel } from './details'
import { DiagramView } from './diagram-view'
import { byId } from './dom'
import { showConsents, showLog, showPending, showProblem, showProject } from './panels'
import { Search } from './search'

let state: PanelState | null = null
let shownSchema: string | null = null

const canvas = byId('canvas')
const details = new DetailsPanel(byId('tab-model'))
const view = new DiagramView(canvas, (id, redrawn) => {
  details.show(view.nodes.find((node) => node.id === id) ?? null, state?.diagram ?? null)
  // A live update keeps whichever tab the developer is reading.
  if (id && !redrawn) openTab('model')
})
new Search(byId<HTMLInputElement>('search'), byId('matches'), () => view.nodes, (id) => view.focus(id))

const served = initialState()
if (served) {
  state = served
  render(served)
}

followState(
  served,
  (next) => {
    // Another server instance: this page's token is no longer valid, and a reload gets the new one.
    if (state && next.instance !== state.instance) return location.reload()
    state = next
    render(next)
  },
  (live) => {
    const badge = byId('live')
    badge.classList.toggle('on', live)
    badge.textContent = live ? 'live' : 'reconnecting…'
  },
)

function render(next: PanelState): void {
  // When the first state arrived (ms since navigation): the page's own share of the first paint.
  document.body.dataset.firstState ??= performance.now().toFixed(0)
  showProject(byId('project'), next.project)
  showProblem(byId('problem'), next.problem, next.diagram !== null)
  showPending(byId('tab-changes'), byId('changes-count'), next.pending)
  showLog(byId('tab-log'), byId('log-count'), next.syncLog)
  showConsents(byId('consents'), next.consents)
  byId('empty').hidden = next.diagram !== null
  if (next.diagram && next.schemaHash !== shownSchema) {
    shownSchema = next.schemaHash
    view.show(next.diagram)
  }
  document.body.dataset.version = String(next.version)
  document.body.dataset.firstPaint ??= performance.now().toFixed(0)
}

function openTab(name: string): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.tab === name))
  for (const panel of document.querySelectorAll<HTMLElement>('.side .tab')) panel.hidden = panel.dataset.panel !== name
}

for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')) tab.addEventListener('click', () => openTab(tab.dataset.tab!))

document.addEventListener('keydown', (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return
  if (event.key === '/') {
    event.preventDefault()
    byId('search').focus()
  } else if (event.key === '0') view.fit()
  else if (event.key === 'Escape') view.select(null)
})
