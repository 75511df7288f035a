/** What every generator takes besides the schema. */
export interface GenerateOptions {
  /** The schema file paths, as the generated-by header should name them. */
  sources: string[]
  /** The Go package name (default `models`); the other targets ignore it. */
  package?: string
}
