/**
 * loadConfig: okra.config.json (or zero configuration) -> ResolvedConfig. Reads the file, checks its
 * shape, selects the environment, expands `${VAR}`, checks the URL against the provider and fills the
 * defaults. Every problem found along the way is reported together in one ConfigError.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { ConfigError, OkraError } from '../errors'
import { displayPath } from '../fs'
import type { Provider } from '../schema/physical-types'
import { type Environment, interpolate, withDotEnv } from './env'
import { JSONSyntaxError, parseJSON } from './json'
import type { AutoSync, LoadConfigOptions, RawConfig, RawEnvironment, ResolvedConfig } from './types'
import { isFileUrl, maskUrl, normaliseSqliteUrl, providerOfUrl } from './url'
import { type ConfigProblem, validateConfig } from './validate'

export const CONFIG_FILE = 'okra.config.json'

/** What a project without okra.config.json gets (zero configuration), also what `okra init` writes. */
export const DEFAULTS = {
  provider: 'sqlite' as Provider,
  url: 'sqlite://./dev.db',
  schemaFile: './models.okra.gql',
  schemaGlob: '**/*.okra.gql',
  migrationsDir: './migrations',
  generateSQL: false,
  autoSync: true,
  syncDebounce: 500,
  /** Seconds a DDL statement waits for a table lock: long enough for a short transaction, short enough not to stall the app behind it. */
  lockWait: 10,
  statementTimeout: 0,
  typescriptOut: './generated/models.ts',
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const root = resolve(options.cwd ?? process.cwd())
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new OkraError(`Project directory not found: ${root}`, 'Pass an existing directory to --cwd.')
  }
  const env = withDotEnv(root, options.processEnv ?? process.env)
  const configFile = findConfigFile(root, options.configFile)
  const displayName = configFile ? displayPath(root, configFile) : `${CONFIG_FILE} (none: zero configuration)`
  const { config, problems } = configFile ? readConfig(configFile, displayName) : { config: {}, problems: [] }
  const selected = selectEnvironment(config, options.env, env, problems)
  const resolved = resolveConfig({ root, configFile, config, env, selected, problems, needsUrl: options.needsUrl ?? true })
  if (problems.length > 0) {
    throw new ConfigError(
      displayName,
      problems.map((p) => ({ path: p.path, message: maskUrl(p.message) })),
    )
  }
  return resolved
}

function findConfigFile(root: string, given: string | undefined): string | null {
  if (given !== undefined) {
    const file = resolve(root, given)
    if (!existsSync(file)) {
      throw new OkraError(`Config file not found: ${displayPath(root, file)}`, 'Check the path given to --config (relative to the project root).')
    }
    return file
  }
  const file = resolve(root, CONFIG_FILE)
  return existsSync(file) ? file : null
}

function readConfig(file: string, displayName: string): { config: RawConfig; problems: ConfigProblem[] } {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
  let json: unknown
  try {
    json = parseJSON(text)
  } catch (error) {
    if (!(error instanceof JSONSyntaxError)) throw error
    throw new ConfigError(displayName, [{ path: '', message: `${displayName}:${error.line}:${error.column}: invalid JSON: ${error.message}` }])
  }
  return validateConfig(json)
}

interface SelectedEnvironment {
  name: string
  /** The environment's own keys, or undefined when the top level alone applies. */
  layer?: RawEnvironment
}

/**
 * `--env`, else `OKRA_ENV`, else `local`; an unknown name is an error listing the known ones. The default
 * `local` needs no definition: without one, the top level applies (as it does with no environments at all).
 */
function selectEnvironment(config: RawConfig, given: string | undefined, env: Environment, problems: ConfigProblem[]): SelectedEnvironment {
  const name = given || env.OKRA_ENV || 'local'
  const environments = config.database?.environments ?? {}
  const known = Object.keys(environments).sort()
  if (Object.hasOwn(environments, name)) return { name, layer: environments[name] }
  if (name === 'local' && !given && !env.OKRA_ENV) return { name }
  if (name === 'local' && known.length === 0) return { name }
  const source = given ? '--env' : env.OKRA_ENV ? 'OKRA_ENV' : 'the default'
  const message =
    known.length === 0
      ? `unknown environment "${name}" (from ${source}): no environments are defined`
      : `unknown environment "${name}" (from ${source}); known environments: ${known.join(', ')}`
  // With other problems in the file, report it with them; alone, it is a usage problem, not the file's.
  if (problems.length > 0) {
    problems.push({ path: 'database.environments', message })
    return { name }
  }
  throw new OkraError(
    message[0].toUpperCase() + message.slice(1),
    `Pass one of them to --env (or set OKRA_ENV), or add database.environments.${name} to ${CONFIG_FILE}.`,
  )
}

interface ResolveInput {
  root: string
  configFile: string | null
  config: RawConfig
  env: Environment
  selected: SelectedEnvironment
  problems: ConfigProblem[]
  needsUrl: boolean
}

function resolveConfig({ root, configFile, config, env, selected, problems, needsUrl }: ResolveInput): ResolvedConfig {
  const database = config.database ?? {}
  const migrations = database.migrations ?? {}
  const layer = selected.layer ?? {}
  const layerPath = `database.environments.${selected.name}`

  /** `${VAR}` expanded; a missing variable is a problem naming it and the key path. */
  const expandInto = (list: ConfigProblem[]) => (value: string, path: string): string => {
    const result = interpolate(value, env)
    for (const name of result.missing) {
      list.push({ path, message: `environment variable ${name} is not set (set it in the environment or in .env at the project root)` })
    }
    return result.value
  }
  const expand = expandInto(problems)
  /** The environment's value when it has one, else the top level's; with the key path it came from. */
  const pick = <T>(key: keyof RawEnvironment, top: T | undefined, topPath: string) =>
    layer[key] !== undefined ? { value: layer[key] as T, path: `${layerPath}.${key}` } : top !== undefined ? { value: top, path: topPath } : undefined

  const topProvider = layerProvider(database, env) ?? DEFAULTS.provider
  const environmentProvider = (e: RawEnvironment) => layerProvider(e, env) ?? topProvider
  const provider = selected.layer ? environmentProvider(selected.layer) : topProvider
  const providerPath = pick('provider', database.provider, 'database.provider')?.path
  const providers = [...new Set([topProvider, ...Object.values(database.environments ?? {}).map(environmentProvider)])].sort()

  // Without a need for the URL its problems are not the command's: the URL is left empty instead.
  const urlProblems: ConfigProblem[] = []
  const resolvedUrl = resolveUrl({
    root,
    provider,
    providerPath,
    given: pick<string>('url', database.url, 'database.url'),
    expand: expandInto(urlProblems),
    problems: urlProblems,
  })
  if (needsUrl) problems.push(...urlProblems)
  const url = needsUrl || urlProblems.length === 0 ? resolvedUrl : ''

  const schemasPick = pick<string[]>('schemas', database.schemas, 'database.schemas')
  const schemas = schemasPick
    ? schemasPick.value.map((s, i) => expand(s, `${schemasPick.path}[${i}]`))
    : [existsSync(resolve(root, DEFAULTS.schemaFile)) ? DEFAULTS.schemaFile : DEFAULTS.schemaGlob]

  const development = migrations.development ?? {}
  const dir = resolve(root, expand(migrations.dir ?? DEFAULTS.migrationsDir, 'database.migrations.dir'))
  return {
    root,
    configFile,
    env: selected.name,
    database: {
      provider,
      url,
      schemas,
      migrations: {
        dir,
        generateSQL: pick<boolean>('generateSQL', migrations.generateSQL, 'database.migrations.generateSQL')?.value ?? DEFAULTS.generateSQL,
        autoSync: pick<AutoSync>('autoSync', development.autoSync, 'database.migrations.development.autoSync')?.value ?? DEFAULTS.autoSync,
        syncDebounce:
          pick<number>('syncDebounce', development.syncDebounce, 'database.migrations.development.syncDebounce')?.value ?? DEFAULTS.syncDebounce,
      },
      providers,
      timeouts: {
        lockWaitMs: (pick<number>('lockWait', database.lockWait, 'database.lockWait')?.value ?? DEFAULTS.lockWait) * 1000,
        statementTimeoutMs: (pick<number>('statementTimeout', database.statementTimeout, 'database.statementTimeout')?.value ?? DEFAULTS.statementTimeout) * 1000,
      },
    },
    generate: resolveGenerate(root, config, expand, problems),
  }
}

/** A layer's provider: its `provider` key, else the one its URL names (when the URL can be read now). */
function layerProvider(layer: { provider?: Provider; url?: string }, env: Environment): Provider | undefined {
  if (layer.provider) return layer.provider
  return layer.url === undefined ? undefined : providerOfUrl(interpolate(layer.url, env).value)
}

interface UrlInput {
  root: string
  provider: Provider
  providerPath: string | undefined
  given: { value: string; path: string } | undefined
  expand: (value: string, path: string) => string
  problems: ConfigProblem[]
}

function resolveUrl({ root, provider, providerPath, given, expand, problems }: UrlInput): string {
  if (!given) {
    // Zero configuration: the default database needs no URL; any other does.
    if (provider === DEFAULTS.provider) return normaliseSqliteUrl(DEFAULTS.url, root)
    problems.push({ path: 'database.url', message: `required when the provider is "${provider}" (for example "\${DATABASE_URL}")` })
    return ''
  }
  const known = problems.length
  const url = expand(given.value, given.path)
  if (problems.length > known) return url // a missing variable: already reported
  const scheme = providerOfUrl(url)
  if (scheme === undefined) {
    problems.push({ path: given.path, message: `unsupported database URL "${maskUrl(url)}" (expected sqlite://, file: or postgres://)` })
    return url
  }
  if (scheme !== provider) {
    problems.push({
      path: given.path,
      message: `a ${scheme} URL ("${maskUrl(url)}") does not fit provider "${provider}"${providerPath ? ` (${providerPath})` : ''}: change the URL or the provider`,
    })
  }
  return isFileUrl(url) ? normaliseSqliteUrl(url, root) : url
}

type Expand = (value: string, path: string) => string

function resolveGenerate(root: string, config: RawConfig, expand: Expand, problems: ConfigProblem[]): ResolvedConfig['generate'] {
  if (config.generate === undefined) return { typescript: { out: resolve(root, DEFAULTS.typescriptOut) } }
  const result: ResolvedConfig['generate'] = {}
  const owners = new Map<string, string>()
  const out = (target: string, given: { out?: string } | undefined): string | undefined => {
    if (given?.out === undefined) return undefined
    const file = resolve(root, expand(given.out, `generate.${target}.out`))
    const other = owners.get(file)
    if (other) problems.push({ path: `generate.${target}.out`, message: `same file as generate.${other}.out` })
    owners.set(file, target)
    return file
  }
  const { typescript, go, python, graphql } = config.generate
  const typescriptOut = out('typescript', typescript)
  if (typescriptOut) result.typescript = { out: typescriptOut }
  const goOut = out('go', go)
  if (goOut) result.go = { out: goOut, package: goPackage(goOut, go?.package, expand, problems) }
  const pythonOut = out('python', python)
  if (pythonOut) result.python = { out: pythonOut }
  const graphqlOut = out('graphql', graphql)
  if (graphqlOut) result.graphql = { out: graphqlOut }
  return result
}

/** The given package, else the output directory's name (Go's convention), else `models`. */
function goPackage(out: string, given: string | undefined, expand: Expand, problems: ConfigProblem[]): string {
  const valid = (name: string) => /^[a-z_][a-z0-9_]*$/.test(name)
  if (given !== undefined) {
    const name = expand(given, 'generate.go.package')
    if (!valid(name)) problems.push({ path: 'generate.go.package', message: `"${name}" is not a Go package name (lower case letters, digits, _)` })
    return name
  }
  const directory = basename(dirname(out)).toLowerCase()
  return valid(directory) ? directory : 'models'
}


/** Just the options that say which config to load (a command's context carries more). */
export function configOptions(options: LoadConfigOptions): LoadConfigOptions {
  return { cwd: options.cwd, configFile: options.configFile, env: options.env, processEnv: options.processEnv }
}

/** The same for a command that only reads and writes files: a missing or wrong database URL is no problem of it. */
export function fileOnlyOptions(options: LoadConfigOptions): LoadConfigOptions {
  return { ...configOptions(options), needsUrl: false }
}
