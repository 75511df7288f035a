import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomic, writeIfChanged } from '../src/fs'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'okra-fs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeFileAtomic', () => {
  it('creates missing parent directories and leaves no temp file behind', () => {
    const file = join(dir, 'a', 'b', 'models.ts')
    writeFileAtomic(file, 'export {}\n')
    expect(readFileSync(file, 'utf8')).toBe('export {}\n')
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['models.ts'])
  })

  it('replaces an existing file and keeps its mode', () => {
    const file = join(dir, 'models.py')
    writeFileSync(file, 'old')
    chmodSync(file, 0o640)
    writeFileAtomic(file, 'new')
    expect(readFileSync(file, 'utf8')).toBe('new')
    expect(statSync(file).mode & 0o777).toBe(0o640)
  })

  it('removes its temp file when the rename fails', () => {
    const target = join(dir, 'taken')
    mkdirSync(join(target, 'child'), { recursive: true })
    expect(() => writeFileAtomic(target, 'text')).toThrow()
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})

describe('writeIfChanged', () => {
  it('writes a missing file, then leaves it untouched while the content is the same', () => {
    const file = join(dir, 'gen', 'models.go')
    expect(writeIfChanged(file, 'package models\n')).toBe(true)
    const past = new Date('2020-01-01T00:00:00Z')
    utimesSync(file, past, past)
    expect(writeIfChanged(file, 'package models\n')).toBe(false)
    expect(statSync(file).mtime.getTime()).toBe(past.getTime())
  })

  it('rewrites a file whose content differs, even in bytes that decode to the same text', () => {
    const file = join(dir, 'models.ts')
    // An invalid UTF-8 byte decodes to U+FFFD: comparing decoded text would wrongly call it unchanged.
    writeFileSync(file, Buffer.from([0xff]))
    expect(writeIfChanged(file, '\ufffd')).toBe(true)
    expect(readFileSync(file)).toEqual(Buffer.from('\ufffd'))
    expect(writeIfChanged(file, '\ufffd')).toBe(false)
    expect(writeIfChanged(file, 'b')).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe('b')
  })
})
