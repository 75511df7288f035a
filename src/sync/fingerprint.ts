/**
 * A cheap fingerprint of a database's structure, recorded in `_okra_state` by every sync. When it is
 * unchanged, nobody altered the database behind OKRA's back, so sync may trust
 * `migrations/current/schema.json` instead of introspecting (the fast path). A false alarm only costs
 * one introspection; a change it would miss is what it must never allow.
 *
 * - SQLite: `PRAGMA schema_version`, which SQLite itself bumps on every change to the schema.
 * - PostgreSQL: a hash over the identity and row version (`xmin`) of every catalog row describing the
 *   current schema (tables, columns, defaults, constraints, indexes, types, enum labels, triggers). Any
 *   DDL writes a new row version; VACUUM and ANALYZE update these rows in place and leave them alone.
 */
import type { Queryable } from '../drivers/types'
import type { Provider } from '../schema/physical-types'

const POSTGRES = `
  WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = current_schema()),
  rels AS (SELECT c.oid FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns))
  SELECT md5(COALESCE(string_agg(part, ',' ORDER BY part), '')) AS fingerprint FROM (
    SELECT 'c' || c.oid || ':' || c.xmin AS part FROM pg_class c WHERE c.oid IN (SELECT oid FROM rels)
    UNION ALL SELECT 'a' || a.attrelid || '.' || a.attnum || ':' || a.xmin FROM pg_attribute a WHERE a.attrelid IN (SELECT oid FROM rels) AND a.attnum > 0
    UNION ALL SELECT 'd' || d.oid || ':' || d.xmin FROM pg_attrdef d WHERE d.adrelid IN (SELECT oid FROM rels)
    UNION ALL SELECT 'k' || k.oid || ':' || k.xmin FROM pg_constraint k WHERE k.connamespace = (SELECT oid FROM ns)
    UNION ALL SELECT 'i' || i.indexrelid || ':' || i.xmin FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM rels)
    UNION ALL SELECT 't' || t.oid || ':' || t.xmin FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM ns)
    UNION ALL SELECT 'e' || e.oid || ':' || e.xmin FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typnamespace = (SELECT oid FROM ns)
    UNION ALL SELECT 'g' || g.oid || ':' || g.xmin FROM pg_trigger g WHERE g.tgrelid IN (SELECT oid FROM rels)
  ) AS parts`

export async function structureFingerprint(db: Queryable, provider: Provider): Promise<string> {
  if (provider === 'sqlite') {
    const [row] = await db.query<{ schema_version: number }>('SELECT schema_version FROM pragma_schema_version')
    return `sqlite:${row!.schema_version}`
  }
  const [row] = await db.query<{ fingerprint: string }>(POSTGRES)
  return `postgres:${row!.fingerprint}`
}
