/**
 * Everything around the diagram, drawn from the state as it comes: the project line, the schema
 * problem (with its code frame), pending changes, the sync log and the decisions that wait.
 */
import type { ConsentDecision, ConsentRequest, PanelProblem, PanelProject, PendingChanges, SyncLogEntry } from '../source'
import { decide } from './api'
import { h, show } from './dom'

export function showProject(element: HTMLElement, project: PanelProject): void {
  const sync = project.autoSync === 'off' ? `auto-sync off${project.autoSyncOff ? ` (${project.autoSyncOff})` : ''}` : project.autoSync === 'ask' ? 'auto-sync: asks first' : 'auto-sync on'
  show(
    element,
    h('strong', {}, project.name),
    h('span', { class: 'tag' }, project.env),
    h('span', { class: 'tag' }, project.provider),
    h('code', { class: 'url', title: 'The dev database (password masked)' }, project.database),
    h('span', { class: 'muted' }, sync),
  )
}

export function showProblem(element: HTMLElement, problem: PanelProblem | null, hasDiagram: boolean): void {
  element.hidden = problem === null
  if (!problem) return element.replaceChildren()
  const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}:${problem.column ?? 1}` : ''}` : ''
  show(
    element,
    h('div', { class: 'problem-head' }, h('strong', {}, 'Schema error'), where ? h('code', { class: 'where' }, where) : null, h('span', { class: 'muted' }, hasDiagram ? 'The diagram shows the last valid schema; nothing is synced until this is fixed.' : 'No valid schema yet.')),
    problem.frame ? h('pre', { class: 'frame' }, problem.frame) : null,
    h('pre', { class: 'message' }, problem.text),
  )
}

export function showPending(element: HTMLElement, count: HTMLElement, pending: PendingChanges | null): void {
  count.textContent = pending && pending.summaries.length > 0 ? String(pending.summaries.length) : ''
  if (!pending) return show(element, h('p', { class: 'hint' }, 'The changes since the snapshot are not known here yet.'))
  const destroyed = new Map(pending.destructive.map((d) => [d.summary, d.destroys]))
  show(
    element,
    h('h3', {}, 'Pending changes since the snapshot'),
    pending.hasSnapshot ? null : h('p', { class: 'hint' }, 'No snapshot yet (migrations/snapshot/schema.json): every model is new.'),
    ...pending.warnings.map((w) => h('p', { class: 'warning' }, w)),
    pending.summaries.length === 0
      ? h('p', { class: 'ok' }, '✓ No changes since the snapshot')
      : h(
          'ul',
          { class: 'changes' },
          ...pending.summaries.map((line) => {
            const destroys = destroyed.get(line)
            return h('li', { class: destroys ? 'destructive' : undefined }, h('code', {}, line), destroys ? h('div', { class: 'destroys' }, `⚠ ${destroys}`) : null)
          }),
        ),
    pending.lint.length > 0
      ? h('section', {}, h('h3', {}, 'Lint'), h('ul', { class: 'lint' }, ...pending.lint.map((f) => h('li', { class: f.severity }, h('strong', {}, f.severity), ` ${f.message}`, f.hint ? h('div', { class: 'muted' }, f.hint) : null))))
      : null,
    ...pending.sql.map((sql) => h('section', {}, h('h3', {}, `SQL (${sql.provider})`), h('pre', { class: 'code' }, sql.statements.join('\n\n') || '-- nothing to run'))),
  )
}

export function showLog(element: HTMLElement, count: HTMLElement, log: SyncLogEntry[]): void {
  count.textContent = log.length > 0 ? String(log.length) : ''
  if (log.length === 0) return show(element, h('p', { class: 'hint' }, 'No sync yet.'))
  show(
    element,
    h(
      'ol',
      { class: 'log' },
      ...log.map((entry) =>
        h(
          'li',
          { class: entry.error ? 'failed' : entry.held ? 'held' : entry.changes.length === 0 ? 'idle' : 'applied', 'data-id': entry.id },
          h('div', { class: 'log-head' }, h('time', { datetime: entry.at }, new Date(entry.at).toLocaleTimeString()), h('span', { class: 'muted' }, `${Math.round(entry.durationMs)} ms`)),
          entry.error
            ? h('pre', { class: 'message' }, entry.error)
            : entry.held
              ? h('pre', { class: 'message' }, entry.held)
              : entry.changes.length === 0
              ? h('div', { class: 'muted' }, 'already up to date')
              : h('ul', { class: 'plain' }, ...entry.changes.map((line) => h('li', {}, h('code', {}, line)))),
          entry.backup ? h('div', { class: 'backup' }, `backup: ${entry.backup}`) : null,
        ),
      ),
    ),
  )
}

export function showConsents(element: HTMLElement, consents: ConsentRequest[]): void {
  element.hidden = consents.length === 0
  show(element, ...consents.map(consentCard))
}

function consentCard(request: ConsentRequest): HTMLElement {
  const status = h('p', { class: 'status', role: 'status' })
  const apply = h('button', { type: 'button', class: 'danger', 'data-decision': 'apply' }, 'Apply (backup first)')
  const keep = h('button', { type: 'button', 'data-decision': 'keep' }, 'Keep the database as it is')
  const send = async (decision: ConsentDecision) => {
    apply.disabled = keep.disabled = true
    status.textContent = decision === 'apply' ? 'Applying…' : 'Keeping the database as it is…'
    try {
      await decide(request.id, decision)
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : String(error)
      apply.disabled = keep.disabled = false
    }
  }
  apply.addEventListener('click', () => void send('apply'))
  keep.addEventListener('click', () => void send('keep'))
  return h(
    'article',
    { class: 'consent', 'data-id': request.id },
    h('h3', {}, 'A change would lose data'),
    h('ul', { class: 'plain' }, ...request.changes.map((c) => h('li', {}, h('code', {}, c.line), h('span', { class: 'rows' }, ` ${c.count.toLocaleString('en')} ${c.count === 1 ? 'row' : 'rows'}`)))),
    h('p', { class: 'muted' }, `Apply backs up first: ${request.backup}.`),
    h('div', { class: 'buttons' }, apply, keep),
    status,
  )
}
