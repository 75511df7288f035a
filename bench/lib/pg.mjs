/** PostgreSQL for benchmarks: the server at OKRA_BENCH_PG_URL, a fresh database per measurement. */
export const PG_ADMIN_URL = process.env.OKRA_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/** The admin URL as it may be printed (password masked). */
export const shownAdminUrl = () => PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')

/** A database name of its own and an admin connection to create and drop it; null when no server answers. */
export async function pgDatabase() {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
  } catch {
    return null
  }
  const name = `okra_bench_${process.pid}_${Date.now().toString(36)}`
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    create: () => client.query(`CREATE DATABASE "${name}"`),
    drop: () => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    end: () => client.end(),
  }
}
