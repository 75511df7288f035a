/**
 * The programmatic API of unplugin-okra: what the CLI and the plugin are built from. Re-exports only.
 */

// The schema language and the canonical schema
export { parse } from './language/parser'
export { check } from './schema/check'
export { compileSchema } from './schema/compile'
export { canonicalJSON, parseSchemaJSON, schemaHash } from './schema/canonical'
export { diagnosticToJSON, formatDiagnostic } from './language/diagnostics'
export type { Diagnostic, Paint } from './language/diagnostics'
export type { Location, Source } from './language/source'
export type * from './language/ast'
export type * from './schema/types'
export type * from './schema/physical-types'

// Generated code
export { generateTypeScript } from './codegen/typescript'
export { generateGo } from './codegen/go'
export { generatePython } from './codegen/python'
export { generateGraphQL } from './codegen/graphql'
export type { GenerateOptions } from './codegen/options'

// Configuration and the project
export { loadConfig } from './config/load'
export { maskUrl } from './config/url'
export type { LoadConfigOptions, RawConfig, ResolvedConfig, GenerateTarget } from './config/types'
export { loadProject } from './project'
export type { LoadProjectOptions, Project } from './project'

// Commands, callable from code
export { init } from './commands/init'
export type { InitOptions, InitResult } from './commands/init'
export { validate } from './commands/validate'
export type { ConnectionCheck, DatabaseCheck, ValidateOptions, ValidateResult } from './commands/validate'
export { generate, renderOutputs } from './commands/generate'
export type { GenerateCommandOptions, GenerateResult, GeneratedFile, RenderedOutput } from './commands/generate'
export { sync, DataLossError } from './commands/sync'
export type { SyncOptions, SyncResult, DataAtRisk } from './commands/sync'
export { diffSinceSnapshot } from './commands/diff'
export type { DiffCommandOptions, DiffCommandResult } from './commands/diff'
export { reset } from './commands/reset'
export type { ResetOptions, ResetResult } from './commands/reset'
export { seed } from './commands/seed'
export type { SeedOptions, SeedResult } from './commands/seed'
export type { SyncBackup } from './backup'
export { openDriver } from './drivers/index'
export type { Driver, Queryable } from './drivers/index'
export {
  changesSinceSnapshot,
  readSnapshotSchema,
  readCurrentSchema,
  writeCurrentSchema,
  readSyncedRenames,
  appendSyncedRenames,
  writeSyncedRenames,
  composeRenames,
  renamesResolver,
  migrationPaths,
} from './migrations/state'
export type { SnapshotChanges, SyncedRename, MigrationPaths } from './migrations/state'
export { snapshot } from './commands/snapshot'
export type { SnapshotOptions, SnapshotResult, NotSyncedChoice } from './commands/snapshot'
export { migrateUp } from './commands/migrate-up'
export type { MigrateUpOptions, MigrateUpResult, AppliedMigration, PlannedMigration } from './commands/migrate-up'
export { migrateDown } from './commands/migrate-down'
export type { MigrateDownOptions, MigrateDownResult } from './commands/migrate-down'
export { migrateStatus } from './commands/migrate-status'
export type { MigrateStatusResult, MigrationStatusEntry, MigrationState } from './commands/migrate-status'
export { migrateResolve } from './commands/migrate-resolve'
export type { MigrateResolveOptions, MigrateResolveResult } from './commands/migrate-resolve'
export type { MigrationsOptions } from './migrations/session'
export { MigrationFailedError } from './migrations/run'

// The bundler plugin's bundler-free core, and the commands built on it
export { dev } from './commands/dev'
export type { DevOptions, DevSession, DevSummary } from './commands/dev'
export { build } from './commands/build'
export type { BuildOptions, BuildResult } from './commands/build'
export { OkraContext } from './plugin/context'
export type { BuildReport, ContextEvents, ContextSetup } from './plugin/context'
export { DriftError } from './plugin/drift'
export type { DriftReport } from './plugin/drift'
export type { DriftMode, OkraLogger, OkraPluginOptions } from './plugin/options'
export type { OkraProblem } from './problems'
export type { SyncOutcome } from './plugin/autosync'
export { generateVirtualModule, generateVirtualDeclaration, virtualModels, VIRTUAL_MODELS_ID } from './codegen/virtual'
export type { VirtualField, VirtualModel } from './codegen/virtual'

// Errors
export { ConfigError, OkraError, SchemaError, UsageError } from './errors'
