/** The everyday flows of issue 11 on PostgreSQL (the suite is flows.ts). */
import { usePgDatabase } from '../helpers/pg'
import { flowSuite } from './flows'

const pgdb = await usePgDatabase()

flowSuite({ name: 'PostgreSQL', url: () => pgdb.url, reset: () => pgdb.reset() })
