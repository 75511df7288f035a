/**
 * Checks the parsed JSON against the shape of okra.config.json, collecting every problem with its
 * key path instead of stopping at the first. Invalid values are left out of the returned config,
 * so resolution can go on and report its own problems in the same message.
 */
import type { RawConfig } from './types'
import { PROVIDERS } from '../schema/physical-types'
import { suggestionSuffix } from './suggest'

export interface ConfigProblem {
  path: string
  message: string
}

type Shape =
  | { kind: 'string' }
  | { kind: 'boolean' }
  /** true, false, or one of the words (`autoSync`: true, false or "ask"). */
  | { kind: 'booleanOr'; values: readonly string[] }
  | { kind: 'count'; unit: string }
  | { kind: 'oneOf'; values: readonly string[]; noun: string }
  | { kind: 'strings' }
  | { kind: 'object'; keys: Record<string, Shape>; required?: readonly string[] }
  | { kind: 'record'; of: Shape }

const string: Shape = { kind: 'string' }
const boolean: Shape = { kind: 'boolean' }
/** `"ask"`: destructive changes wait for a decision in the dev panel. */
const autoSync: Shape = { kind: 'booleanOr', values: ['ask'] }
const milliseconds: Shape = { kind: 'count', unit: 'milliseconds' }
const seconds: Shape = { kind: 'count', unit: 'seconds' }
const provider: Shape = { kind: 'oneOf', values: PROVIDERS, noun: 'provider' }
const schemas: Shape = { kind: 'strings' }
const output: Shape = { kind: 'object', keys: { out: string }, required: ['out'] }

const configShape: Shape = {
  kind: 'object',
  keys: {
    database: {
      kind: 'object',
      keys: {
        provider,
        url: string,
        schemas,
        lockWait: seconds,
        statementTimeout: seconds,
        migrations: {
          kind: 'object',
          keys: {
            dir: string,
            generateSQL: boolean,
            development: { kind: 'object', keys: { autoSync, syncDebounce: milliseconds } },
          },
        },
        environments: {
          kind: 'record',
          of: {
            kind: 'object',
            keys: { provider, url: string, schemas, autoSync, syncDebounce: milliseconds, generateSQL: boolean, lockWait: seconds, statementTimeout: seconds },
          },
        },
      },
    },
    generate: {
      kind: 'object',
      keys: {
        typescript: output,
        go: { kind: 'object', keys: { out: string, package: string }, required: ['out'] },
        python: output,
        graphql: output,
      },
    },
  },
}

/** `"fast"`, `12`, `true`, `null`, `an array`, `an object`. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (value !== null && typeof value === 'object') return 'an object'
  return JSON.stringify(value)
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

/** Returns the value if valid (objects: with their invalid entries left out), else undefined. */
function check(value: unknown, shape: Shape, path: string, problems: ConfigProblem[]): unknown {
  const problem = (message: string) => {
    problems.push({ path, message })
    return undefined
  }
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string' ? value : problem(`expected a string, got ${describeValue(value)}`)
    case 'boolean':
      return typeof value === 'boolean' ? value : problem(`expected true or false, got ${describeValue(value)}`)
    case 'booleanOr':
      if (typeof value === 'boolean' || (typeof value === 'string' && shape.values.includes(value))) return value
      return problem(`expected true, false${shape.values.map((v) => ` or "${v}"`).join('')}, got ${describeValue(value)}`)
    case 'count':
      if (typeof value !== 'number') return problem(`expected a number, got ${describeValue(value)}`)
      if (!Number.isInteger(value) || value < 0) return problem(`expected a whole number of ${shape.unit} (0 or more), got ${value}`)
      return value
    case 'oneOf':
      if (typeof value === 'string' && shape.values.includes(value)) return value
      return problem(
        `unknown ${shape.noun} ${describeValue(value)} (expected ${shape.values.map((v) => `"${v}"`).join(' or ')})`,
      )
    case 'strings':
      if (!Array.isArray(value)) return problem(`expected an array of strings, got ${describeValue(value)}`)
      if (value.length === 0) return problem('expected at least one entry')
      value.forEach((item, i) => {
        if (typeof item !== 'string') problems.push({ path: `${path}[${i}]`, message: `expected a string, got ${describeValue(item)}` })
      })
      return value.every((item) => typeof item === 'string') ? value : undefined
    case 'object':
    case 'record': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return problem(`expected an object, got ${describeValue(value)}`)
      }
      const result: Record<string, unknown> = {}
      const known = shape.kind === 'object' ? Object.keys(shape.keys) : []
      for (const [key, item] of Object.entries(value)) {
        const itemShape = shape.kind === 'record' ? shape.of : Object.hasOwn(shape.keys, key) ? shape.keys[key] : undefined
        if (!itemShape) {
          problems.push({ path: join(path, key), message: `unknown key${suggestionSuffix(key, known)}` })
          continue
        }
        const checked = check(item, itemShape, join(path, key), problems)
        if (checked !== undefined) result[key] = checked
      }
      for (const key of (shape.kind === 'object' && shape.required) || []) {
        if (!(key in value)) problems.push({ path: join(path, key), message: 'missing (required)' })
      }
      return result
    }
  }
}

export function validateConfig(json: unknown): { config: RawConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = []
  const config = check(json, configShape, '', problems) as RawConfig | undefined
  return { config: config ?? {}, problems }
}
