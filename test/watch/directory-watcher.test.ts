/**
 * OKRA's own watcher, on real directories: saves by rename, folders that appear later (with files already
 * in them), folders deleted and made again, and what a tree never enters. A change the watcher must not
 * report is made before one it must report: the kernel delivers a watch's events in order, so once the
 * second arrives the first would have been seen.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DirectoryWatcher, type WatchRequest } from '../../src/watch/directory-watcher'
import { makeTempDir, writeFiles } from '../helpers/tmp'
import { waitFor } from '../plugin/project'

/** A watcher that keeps every path it reports; closed when the test ends. */
function watching(request: Omit<WatchRequest, 'onEvent'>) {
  const events: string[] = []
  const watcher = new DirectoryWatcher({ ...request, onEvent: (path) => void events.push(path) })
  const seen = (path: string) => waitFor(`an event for ${path}`, () => events.includes(path))
  return { events, seen, close: () => watcher.close() }
}

describe('DirectoryWatcher', () => {
  it('reports a save that writes a temporary file and renames it into place, under the final name', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'models/user.okra.gql': 'model A {}\n' })
    const w = watching({ dirs: [join(root, 'models')], trees: [] })
    writeFileSync(join(root, 'models/.user.okra.gql.swp'), 'model B {}\n')
    renameSync(join(root, 'models/.user.okra.gql.swp'), join(root, 'models/user.okra.gql'))
    await w.seen(join(root, 'models/user.okra.gql'))
    w.close()
  })

  it('watches a requested folder that does not exist yet once it appears, reporting the files already in it', async () => {
    const root = makeTempDir()
    const w = watching({ dirs: [join(root, 'schema/models')], trees: [join(root, 'deep/tree')] })
    // Created in one go: both files exist before any watch on their folder could start.
    writeFiles(root, { 'schema/models/user.okra.gql': 'model A {}\n', 'deep/tree/a/b/post.okra.gql': 'model B {}\n' })
    await w.seen(join(root, 'schema/models/user.okra.gql'))
    await w.seen(join(root, 'deep/tree/a/b/post.okra.gql'))
    // And from then on, changes in them.
    writeFileSync(join(root, 'schema/models/user.okra.gql'), 'model C {}\n')
    writeFileSync(join(root, 'deep/tree/a/b/tag.okra.gql'), 'model D {}\n')
    await w.seen(join(root, 'deep/tree/a/b/tag.okra.gql'))
    expect(w.events.filter((path) => path === join(root, 'schema/models/user.okra.gql')).length).toBeGreaterThan(0)
    w.close()
  })

  it('waits for a missing folder one level at a time, however it comes', async () => {
    const root = makeTempDir()
    const w = watching({ dirs: [join(root, 'a/b/c')], trees: [] })
    mkdirSync(join(root, 'a'))
    await w.seen(join(root, 'a'))
    mkdirSync(join(root, 'a/b'))
    await w.seen(join(root, 'a/b'))
    mkdirSync(join(root, 'a/b/c'))
    await w.seen(join(root, 'a/b/c'))
    writeFileSync(join(root, 'a/b/c/x.okra.gql'), 'model X {}\n')
    await w.seen(join(root, 'a/b/c/x.okra.gql'))
    w.close()
  })

  it('watches a folder again after it was deleted and made again, noticed in between or not', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'models/user.okra.gql': 'model A {}\n', 'lib/x/post.okra.gql': 'model B {}\n' })
    const w = watching({ dirs: [join(root, 'models')], trees: [join(root, 'lib')] })
    // Replaced before the watcher hears of it.
    rmSync(join(root, 'models'), { recursive: true })
    mkdirSync(join(root, 'models'))
    writeFileSync(join(root, 'models/again.okra.gql'), 'model C {}\n')
    await w.seen(join(root, 'models/again.okra.gql'))
    // Deleted, noticed, then made again.
    rmSync(join(root, 'lib/x'), { recursive: true })
    await w.seen(join(root, 'lib/x'))
    mkdirSync(join(root, 'lib/x'))
    writeFileSync(join(root, 'lib/x/again.okra.gql'), 'model D {}\n')
    await w.seen(join(root, 'lib/x/again.okra.gql'))
    writeFileSync(join(root, 'models/later.okra.gql'), 'model E {}\n')
    await w.seen(join(root, 'models/later.okra.gql'))
    w.close()
  })

  it('follows new subfolders of a tree, but never enters node_modules, .git or a dot-folder', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'node_modules/pkg/a.okra.gql': '', '.git/a.okra.gql': '', '.cache/a.okra.gql': '', 'models/a.okra.gql': '' })
    const w = watching({ dirs: [], trees: [root] })
    writeFileSync(join(root, 'node_modules/pkg/a.okra.gql'), 'changed')
    writeFileSync(join(root, '.git/a.okra.gql'), 'changed')
    writeFileSync(join(root, '.cache/a.okra.gql'), 'changed')
    writeFiles(root, { 'models/new/b.okra.gql': 'model B {}\n' })
    await w.seen(join(root, 'models/new/b.okra.gql'))
    expect(w.events.filter((path) => /node_modules\/pkg|\.git\/|\.cache\//.test(path))).toEqual([])
    w.close()
  })

  it('reports nothing once closed', async () => {
    const root = makeTempDir()
    writeFiles(root, { 'models/a.okra.gql': '' })
    const closed = watching({ dirs: [join(root, 'models')], trees: [] })
    closed.close()
    const open = watching({ dirs: [join(root, 'models')], trees: [] })
    writeFileSync(join(root, 'models/a.okra.gql'), 'changed')
    await open.seen(join(root, 'models/a.okra.gql'))
    expect(closed.events).toEqual([])
    open.close()
  })
})
