/**
 * Writing a new migration folder: its files go into a hidden temporary folder first, which is then renamed
 * into place, so nobody (git, a running migrate:up) ever sees a half-written migration, and two snapshots
 * in the same second cannot take the same name (the rename fails and the next second is tried).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { migrationIds } from './folders'
import { newMigrationId } from './ids'

const ATTEMPTS = 100

/** Creates `<dir>/<id>/` holding `files` and returns the id. */
export function writeMigrationFolder(dir: string, files: Record<string, string>, now: Date, name: string | undefined): string {
  mkdirSync(dir, { recursive: true })
  const temp = join(dir, `.okra-new-${process.pid}-${Date.now().toString(36)}`)
  mkdirSync(temp)
  try {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(temp, file), text)
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const id = newMigrationId(now, name, migrationIds(dir))
      const target = join(dir, id)
      if (existsSync(target)) continue
      try {
        renameSync(temp, target)
        return id
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error
      }
    }
    throw new Error(`Could not find a free migration folder name in ${dir} after ${ATTEMPTS} attempts`)
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
