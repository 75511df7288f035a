/**
 * Names of new migration folders: `YYYYMMDD_HHMMSS[_name]` in UTC. Names must sort in creation order, so a
 * new one is always later than every folder already there: when a folder for that second exists (or the
 * clock is behind the newest folder), the time moves on a second.
 */
import { snakeCase } from '../schema/naming'

const MAX_NAME_LENGTH = 60

/** `--name "Add phone!"` -> `add_phone`; nothing usable -> ''. */
export function migrationNameSuffix(name: string | undefined): string {
  if (!name) return ''
  const words = snakeCase(name.trim().replace(/[^A-Za-z0-9]+/g, '_'))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return words.slice(0, MAX_NAME_LENGTH).replace(/_+$/, '')
}

export function timestampOf(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  )
}

/** The Date of a `YYYYMMDD_HHMMSS` prefix. */
export function dateOfTimestamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})/.exec(stamp)!
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
}

/**
 * The folder name for a migration created at `now`, given the ids that exist: the first second from `now`
 * on that is later than the newest existing timestamp.
 */
export function newMigrationId(now: Date, name: string | undefined, existing: readonly string[]): string {
  const suffix = migrationNameSuffix(name)
  let time = Math.floor(now.getTime() / 1000) * 1000
  const newest = existing.map((id) => id.slice(0, 15)).sort().pop()
  if (newest !== undefined) time = Math.max(time, dateOfTimestamp(newest).getTime() + 1000)
  return timestampOf(new Date(time)) + (suffix ? `_${suffix}` : '')
}
