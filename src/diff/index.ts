/** The differ's public face: diff, summaries, safety, renames. */
export { diff, type DiffOptions } from './diff'
export { summaries, summarize } from './summary'
export { describeRisk, tablesAtRisk } from './safety'
export { renamesFrom, type RenameCandidate, type RenameDecision, type RenameResolver } from './renames'
export { unhandledChange } from './changes'
export type * from './changes'
