/**
 * Ctrl-C for a command OKRA's daemon runs. A command in a process of its own is stopped by the signal itself:
 * Node ends the process, and the database rolls back what it had not committed. The daemon must live on for
 * the next command, so the program forwards Ctrl-C (src/daemon) and the command stops the same way: at its
 * next statement inside a transaction, or in the one under way on PostgreSQL (the server cancels it), and
 * in a wait for OKRA's lock; the transaction is rolled back. Statements outside a transaction (reads, giving
 * a lock back) are never stopped half-way, so nothing is left held. Commands run one at a time in the
 * daemon, so the signal of the one running is kept here, as after-command.ts keeps its tasks.
 */
import { OkraError } from './errors'

/** Exit code 130, that of a process ended by Ctrl-C (128 + SIGINT). */
export class CancelledError extends OkraError {
  override name = 'CancelledError'
  constructor() {
    super('Stopped by Ctrl-C: what the command had not committed to the database was rolled back', 'Run the command again to finish it.', 130)
  }
}

let current: AbortSignal | undefined

/** Runs `work` as a command that `signal` stops. For the daemon only. */
export async function cancellable<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  current = signal
  try {
    return await work()
  } finally {
    current = undefined
  }
}

/** Throws a CancelledError once the running command was stopped. */
export function throwIfCancelled(): void {
  if (current?.aborted) throw new CancelledError()
}

/** Calls `listener` if the running command is stopped before the returned function is called. */
export function onCancel(listener: () => void): () => void {
  const signal = current
  if (!signal) return () => undefined
  signal.addEventListener('abort', listener, { once: true })
  return () => signal.removeEventListener('abort', listener)
}
