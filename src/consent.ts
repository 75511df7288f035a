/**
 * The question before a command that drops, replaces or removes something (db:reset, db:restore,
 * migrate:unlock). A command never waits for an answer without a terminal: there the question becomes an
 * error that names --force.
 */
import { OkraError } from './errors'

export interface RiskyAction {
  /** What the command does, for the error without a terminal: `db:reset drops data`. */
  risk: string
  /** For `Run it again with --force to <verb> without asking`: `reset`. */
  verb: string
  /** The message of a "no": `Reset cancelled: nothing was changed`. */
  cancelled: string
}

export async function askOrForce(question: string, confirm: ((question: string) => Promise<boolean>) | undefined, action: RiskyAction): Promise<void> {
  const needsForce = () => new OkraError(`${action.risk}, and there is no terminal to ask: ${question}`, `Run it again with --force to ${action.verb} without asking.`)
  if (!confirm) throw needsForce()
  let yes: boolean
  try {
    yes = await confirm(question)
  } catch (error) {
    // The terminal refused to ask (no TTY): the same as having none.
    if (error instanceof OkraError) throw needsForce()
    throw error
  }
  if (!yes) throw new OkraError(action.cancelled)
}
