/** A numbered schema migration. Statements are idempotent (IF NOT EXISTS) and name tables `${DB}.x`. Never edit one that has shipped: add the next number. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
  /** statements only for a ClickHouse server (users, roles, grants); chDB has no RBAC */
  serverOnly?: string[];
}
