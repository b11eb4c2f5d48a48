import type { Migration } from './migration.js';
import { migration001 } from './001-requests.js';
import { migration002 } from './002-ingest-rejects.js';

/** All migrations in order. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002];
