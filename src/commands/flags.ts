/** Flag values the migrate commands share, checked once. */
import { DEFAULTS } from '../config/load'
import type { StatementTimeouts } from '../dialects/index'
import { UsageError } from '../errors'
import type { FlagSpec, FlagValue } from './types'

/** The bounds on each statement's waits, for the commands that change the database's structure. */
export const TIMEOUT_FLAGS: Record<string, FlagSpec> = {
  'lock-wait': {
    type: 'number',
    value: 'S',
    description: `seconds each statement waits for a lock another session holds, e.g. a table in use (default ${DEFAULTS.lockWait}, config lockWait; 0: no limit)`,
  },
  'statement-timeout': { type: 'number', value: 'S', description: 'seconds any one statement may run (PostgreSQL; config statementTimeout; default 0: no limit)' },
}

/** `--lock-wait S` and `--statement-timeout S` in milliseconds (absent: the config's). */
export function timeoutOptions(flags: Record<string, FlagValue | undefined>): Partial<StatementTimeouts> {
  const ms = (name: string): number | undefined => {
    const value = flags[name]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || value < 0) throw new UsageError(`--${name} expects seconds (0 or more), got ${String(value)}`)
    return value * 1000
  }
  const out: Partial<StatementTimeouts> = {}
  const lockWaitMs = ms('lock-wait')
  const statementTimeoutMs = ms('statement-timeout')
  if (lockWaitMs !== undefined) out.lockWaitMs = lockWaitMs
  if (statementTimeoutMs !== undefined) out.statementTimeoutMs = statementTimeoutMs
  return out
}

/** `--lock-timeout S` in milliseconds. */
export function lockTimeoutMs(seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined
  if (typeof seconds !== 'number' || seconds < 0) throw new UsageError(`--lock-timeout expects seconds (0 or more), got ${String(seconds)}`)
  return seconds * 1000
}
