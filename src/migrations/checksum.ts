/**
 * The checksum of a migration folder: sha256 over its files, sorted by name, each with its name, with
 * line endings normalised to `\n` (a checkout on Windows with `core.autocrlf` must not look like an edit).
 * `down.sql` is left out: the user may write or fix the way back after the migration was applied, and it
 * never changes what the migration did.
 */
import { sha256Hash, sha256Hex } from '../hash'

/** The file the user may add or change at any time without changing the migration's checksum. */
export const DOWN_FILE = 'down.sql'

export interface FolderChecksum {
  /** Over every checksummed file: what `_okra_migrations.checksum` records. */
  checksum: string
  /** Each checksummed file's own sha256, by file name: names the file that changed. */
  files: Record<string, string>
}

/** `\r\n` and lone `\r` become `\n` (a text without `\r`, the usual case, is not scanned twice). */
export function normaliseLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

export function isChecksummed(fileName: string): boolean {
  return fileName !== DOWN_FILE && !fileName.startsWith('.')
}

/**
 * `contents`: file name -> text. Files that are not checksummed are ignored. `without`: a file also left out
 * of a second checksum, `checksumWithout` (what the folder's checksum was before that file was added),
 * taken in the same pass.
 */
export function folderChecksum(contents: Record<string, string>, without?: string): FolderChecksum & { checksumWithout?: string } {
  const names = Object.keys(contents).filter(isChecksummed).sort()
  const whole = sha256Hash()
  const wholeWithout = without === undefined ? undefined : sha256Hash()
  const files: Record<string, string> = {}
  for (const name of names) {
    const text = normaliseLineEndings(contents[name]!)
    files[name] = sha256Hex(text)
    // Name and length first, so that moving text from one file to the next changes the checksum.
    const head = `${name}\0${Buffer.byteLength(text)}\0`
    whole.update(head).update(text)
    if (name !== without) wholeWithout?.update(head).update(text)
  }
  return { checksum: whole.digest('hex'), files, ...(wholeWithout ? { checksumWithout: wholeWithout.digest('hex') } : {}) }
}

/** What differs between the files recorded at apply time and the files now: `migration.sql changed`, `renames.json added`. */
export function changedFiles(recorded: Record<string, string>, now: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort()
  return names.flatMap((name) => {
    if (!(name in now)) return [`${name} removed`]
    if (!(name in recorded)) return [`${name} added`]
    return recorded[name] === now[name] ? [] : [`${name} changed`]
  })
}
