import { createHash } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { columnName, constraintName, pluralize, snakeCase, tableName } from '../../src/schema/naming'

describe('snakeCase', () => {
  it.each([
    ['createdAt', 'created_at'],
    ['userID', 'user_id'],
    ['userId', 'user_id'],
    ['HTMLParser', 'html_parser'],
    ['APIKey', 'api_key'],
    ['XMLHttpRequest', 'xml_http_request'],
    ['OrderItem', 'order_item'],
    ['line2Text', 'line2_text'],
    ['already_snake', 'already_snake'],
    ['ID', 'id'],
    ['id', 'id'],
  ])('%s -> %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected)
    expect(columnName(input)).toBe(expected)
  })
})

describe('pluralize', () => {
  it.each([
    ['user', 'users'],
    ['category', 'categories'],
    ['day', 'days'],
    ['person', 'people'],
    ['child', 'children'],
    ['address', 'addresses'],
    ['status', 'statuses'],
    ['box', 'boxes'],
    ['batch', 'batches'],
    ['analysis', 'analyses'],
    ['leaf', 'leaves'],
    ['roof', 'roofs'],
    ['hero', 'heroes'],
    ['photo', 'photos'],
    ['news', 'news'],
    ['data', 'data'],
    ['settings', 'settings'],
    ['order_item', 'order_items'],
    ['sales_person', 'sales_people'],
    ['Person', 'People'],
    ['SalesPerson', 'SalesPeople'],
  ])('%s -> %s', (input, expected) => {
    expect(pluralize(input)).toBe(expected)
  })

  it('is not fooled by names of Object.prototype members', () => {
    expect(pluralize('constructor')).toBe('constructors')
    expect(tableName('ToString')).toBe('to_strings')
  })
})

describe('tableName', () => {
  it.each([
    ['User', 'users'],
    ['Category', 'categories'],
    ['Person', 'people'],
    ['OrderItem', 'order_items'],
    ['Address', 'addresses'],
    ['Status', 'statuses'],
    ['ApiKey', 'api_keys'],
    ['HTTPRequest', 'http_requests'],
    ['Company', 'companies'],
  ])('%s -> %s', (model, table) => {
    expect(tableName(model)).toBe(table)
  })
})

describe('constraintName', () => {
  it('joins table, columns and suffix', () => {
    expect(constraintName('users', ['email'], 'key')).toBe('users_email_key')
    expect(constraintName('posts', ['author_id', 'created_at'], 'idx')).toBe('posts_author_id_created_at_idx')
    expect(constraintName('posts', ['author_id'], 'fkey')).toBe('posts_author_id_fkey')
  })

  it('keeps a name of exactly 63 bytes as it is', () => {
    const table = 't'.repeat(63 - '_c_idx'.length)
    expect(constraintName(table, ['c'], 'idx')).toBe(`${table}_c_idx`)
    expect(constraintName(table, ['c'], 'idx')).toHaveLength(63)
  })

  it('shortens a longer name to 63 bytes with 8 hex of the full name hash, keeping the suffix', () => {
    const table = 'organization_membership_invitations'
    const columns = ['organization_id', 'invited_email_address', 'role']
    const full = `${table}_${columns.join('_')}_key`
    const name = constraintName(table, columns, 'key')
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 8)
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63)
    expect(Buffer.byteLength(name)).toBeGreaterThan(55)
    expect(name).not.toContain('__')
    expect(name.endsWith(`_${hash}_key`)).toBe(true)
    expect(full.startsWith(name.slice(0, -`_${hash}_key`.length))).toBe(true)
  })

  it('gives different long names different short names', () => {
    const a = constraintName('x'.repeat(50), ['first_column'], 'idx')
    const b = constraintName('x'.repeat(50), ['second_column'], 'idx')
    expect(a).not.toBe(b)
    expect(a.length).toBeLessThanOrEqual(63)
  })

  it('counts bytes, not characters, and never splits a character', () => {
    const name = constraintName('tâble_'.repeat(12), ['é'], 'idx')
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63)
    expect(name).not.toContain('\uFFFD')
    expect(Buffer.from(name).toString('utf8')).toBe(name)
  })
})
