// Which database the gateway runs on; ../config.ts reads it from DATABASE_URL.
export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };
