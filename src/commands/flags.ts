/** Flag values the migrate commands share, checked once. */
import { UsageError } from '../errors'

/** `--lock-timeout S` in milliseconds. */
export function lockTimeoutMs(seconds: unknown): number | undefined {
  if (seconds === undefined) return undefined
  if (typeof seconds !== 'number' || seconds < 0) throw new UsageError(`--lock-timeout expects seconds (0 or more), got ${String(seconds)}`)
  return seconds * 1000
}
