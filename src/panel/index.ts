/**
 * The dev panel's server side: the middleware, the interface it reads its data from, and the pure
 * steps the page is drawn from (also what the benchmark measures).
 */
export { createPanelHandler, PANEL_BASE } from './handler'
export type { PanelHandler, PanelHandlerOptions } from './handler'
export { PanelRequestError } from './source'
export type {
  ConsentDecision,
  ConsentRequest,
  PanelProblem,
  PanelProject,
  PanelSnapshot,
  PanelSource,
  PanelTable,
  PendingChanges,
  SyncLogEntry,
} from './source'
export { API, STATE_EVENT, TOKEN_HEADER } from './protocol'
export type { ConsentBody, Language, ModelDetails, PanelState } from './protocol'
export { buildDiagram } from './diagram'
export type { DiagramData, DiagramEdge, DiagramNode, DiagramRow } from './diagram'
export { modelSnippets } from './snippets'
