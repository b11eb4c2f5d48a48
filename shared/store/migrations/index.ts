import type { Migration } from './migration.js';
import { migration001 } from './001-requests.js';
import { migration002 } from './002-ingest-rejects.js';
import { migration003 } from './003-ingest-batches.js';
import { migration004 } from './004-tor-history.js';
import { migration005 } from './005-tor-verdicts.js';
import { migration006 } from './006-tor-verdicts-v2.js';
import { migration007 } from './007-summaries.js';
import { migration008 } from './008-api.js';

/** All migrations in order. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];
