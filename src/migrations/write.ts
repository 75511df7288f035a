/**
 * Writing a new migration folder: its files go into a hidden temporary folder first, which is then renamed
 * into place, so nobody (git, a running migrate:up) ever sees a half-written migration, and two snapshots
 * in the same second cannot take the same name (the rename fails and the next second is tried).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Destruction, META_FILE, metaText, schemaTextHash } from './chain'
import { SCHEMA_FILE, migrationIds } from './folders'
import { newMigrationId } from './ids'

const ATTEMPTS = 100

/** Where a migration sits in the chain: the hash of the schema it was made from (null: the first) and what it destroys. */
export interface MigrationLineage {
  parent: string | null
  destroys: Destruction[]
  /** Set by migrate:rebase: the names the migration had before. */
  rebasedFrom?: { id: string; schema: string }[]
}

/**
 * Creates `<dir>/<id>/` holding `files` (which must hold schema.json) and its migration.json, and returns
 * the id. Every writer of migration folders goes through here, so none is ever written without its parent.
 */
export function writeMigrationFolder(dir: string, files: Record<string, string>, now: Date, name: string | undefined, lineage: MigrationLineage): string {
  const schemaText = files[SCHEMA_FILE]
  if (schemaText === undefined) throw new Error(`A migration folder needs ${SCHEMA_FILE}`)
  files = { ...files, [META_FILE]: metaText({ parent: lineage.parent, schema: schemaTextHash(schemaText), destroys: lineage.destroys, rebasedFrom: lineage.rebasedFrom }) }
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
