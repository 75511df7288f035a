/**
 * Real production builds in all five bundlers: a project whose schema matches its
 * snapshot builds and its bundle holds the enum object; a field without a migration fails the build
 * with the list of changes and the command that fixes it; `drift: 'warn'` builds and warns; and no
 * build opens the database.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeTempDir } from '../helpers/tmp'
import { BUNDLERS, addUnsnapshottedField, cleanProject, productionBuild, runBundle } from './builds'

describe.each(BUNDLERS)('%s production build', (bundler) => {
  it('builds a clean project: the types are written, the enum object is in the bundle, no database is opened', async () => {
    const root = makeTempDir(`okra-${bundler}-`)
    cleanProject(root)
    const outcome = await productionBuild(bundler, root)
    if (!outcome.ok) expect.fail(outcome.error)
    const { Role, models } = runBundle(outcome.code)
    expect(Role).toEqual({ ADMIN: 'ADMIN', MEMBER: 'MEMBER' })
    expect(Object.isFrozen(Role)).toBe(true)
    expect(models.User.table).toBe('users')
    expect(models.Post.fields.authorId.column).toBe('author_id')
    expect(readFileSync(join(root, 'src/generated/models.ts'), 'utf8')).toContain('export interface User {')
    expect(readFileSync(join(root, 'okra.d.ts'), 'utf8')).toContain("declare module 'virtual:okra/models'")
    expect(existsSync(join(root, 'never-opened.db'))).toBe(false)
  })

  it('fails on a field that no migration has, naming the field and `okra db:migrate:snapshot`', async () => {
    const root = makeTempDir(`okra-${bundler}-`)
    cleanProject(root)
    addUnsnapshottedField(root)
    const outcome = await productionBuild(bundler, root)
    expect(outcome.ok).toBe(false)
    if (outcome.ok) return
    expect(outcome.error).toContain("+ Added field 'phone' to User")
    expect(outcome.error).toContain('migrations/snapshot/schema.json')
    expect(outcome.error).toContain('okra db:migrate:snapshot')
    expect(existsSync(join(root, 'never-opened.db'))).toBe(false)
  })

  it('opens no database: a PostgreSQL URL to a closed port builds all the same', async () => {
    const root = makeTempDir(`okra-${bundler}-`)
    cleanProject(root)
    const config = JSON.parse(readFileSync(join(root, 'okra.config.json'), 'utf8'))
    config.database = { ...config.database, provider: 'postgres', url: 'postgres://okra:s3cret@127.0.0.1:9/app' }
    writeFileSync(join(root, 'okra.config.json'), JSON.stringify(config))
    const outcome = await productionBuild(bundler, root)
    if (!outcome.ok) expect.fail(outcome.error)
    expect(runBundle(outcome.code).Role.MEMBER).toBe('MEMBER')
  })

  it("builds with a warning listing the change under drift: 'warn'", async () => {
    const root = makeTempDir(`okra-${bundler}-`)
    cleanProject(root)
    addUnsnapshottedField(root)
    const outcome = await productionBuild(bundler, root, { drift: 'warn' })
    if (!outcome.ok) expect.fail(outcome.error)
    expect(outcome.warnings).toContain("+ Added field 'phone' to User")
    expect(outcome.warnings).toContain('okra db:migrate:snapshot')
    expect(runBundle(outcome.code).models.User.fields.phone.column).toBe('phone')
  })
})
