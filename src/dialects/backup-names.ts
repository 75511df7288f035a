/**
 * Backup names: `<db>-<timestamp>` (`dev-20240120-143022-123`), the database part first so each database
 * keeps (and prunes) its own backups, the time part (UTC) last so one database's backups sort in time order.
 */

/** `20240120-143022-123` (UTC): the time part of every backup's name. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '')
}

/** `dev-20240120-143022-123`, or with `-2`, `-3`, ... when that name is `taken` already. */
export function backupName(label: string, now: Date, taken: (name: string) => boolean): string {
  const base = `${label}-${backupStamp(now)}`
  let name = base
  for (let n = 2; taken(name); n++) name = `${base}-${n}`
  return name
}

const NAME = /^(.+)-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})(?:-(\d+))?$/

/** The parts of a backup name, or undefined when it is not one. `order` sorts backups taken in the same millisecond. */
export function parseBackupName(name: string): { label: string; takenAt: Date; order: number } | undefined {
  const m = NAME.exec(name)
  if (!m) return undefined
  const [, label, y, mo, d, h, mi, s, ms, n] = m
  const takenAt = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!))
  // A date that does not exist (month 13) would roll over into another: not a backup name.
  if (Number.isNaN(takenAt.getTime()) || backupStamp(takenAt) !== `${y}${mo}${d}-${h}${mi}${s}-${ms}`) return undefined
  return { label: label!, takenAt, order: n === undefined ? 1 : Number(n) }
}

/** Oldest first. */
export function byTime<T extends { name: string }>(a: T, b: T): number {
  const [x, y] = [parseBackupName(a.name)!, parseBackupName(b.name)!]
  return x.takenAt.getTime() - y.takenAt.getTime() || x.order - y.order
}

/** A database name made safe for a file or schema name: runs of other characters become `_`; at most `max` characters. */
export function sanitiseLabel(text: string, { lowerCase = false, max = 40 } = {}): string {
  const cleaned = (lowerCase ? text.toLowerCase() : text).replace(lowerCase ? /[^a-z0-9_]+/g : /[^A-Za-z0-9_.]+/g, '_').replace(/^[_.]+|[_.]+$/g, '')
  return cleaned.slice(0, max) || 'db'
}
