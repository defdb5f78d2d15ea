// Environment → typed, validated configuration. Every bad setting is reported at once, by name.
import path from 'node:path';

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  production: boolean;
  /** Load the demo data set at start-up (idempotent). */
  demo: boolean;
  /** Redis for live updates across gateway processes; null: in-process only. */
  redisUrl: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(url: string | undefined, cwd: string): DatabaseConfig {
  if (url === undefined || url.trim() === '') return { kind: 'pglite', dataDir: path.resolve(cwd, 'data') };
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (url === 'pglite:memory' || url === 'memory://') return { kind: 'pglite', dataDir: null };
  const pgliteDir = /^pglite:(.+)$/.exec(url)?.[1];
  if (pgliteDir) return { kind: 'pglite', dataDir: path.resolve(cwd, pgliteDir) };
  throw new ConfigError([
    `DATABASE_URL must be a postgres:// or postgresql:// URL, pglite:<folder> or pglite:memory (got "${url.replace(/\/\/[^@/]*@/, '//***@')}")`,
  ]);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2), cwd = process.cwd()): Config {
  const problems: string[] = [];
  let port = 4000;
  if (env.PORT !== undefined && env.PORT !== '') {
    port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer from 0 to 65535 (got "${env.PORT}")`);
  }
  let database: DatabaseConfig = { kind: 'pglite', dataDir: null };
  try {
    database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  } catch (error) {
    if (error instanceof ConfigError) problems.push(...error.problems);
    else throw error;
  }
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\//i.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const unknownFlags = argv.filter((arg) => arg.startsWith('-') && arg !== '--demo');
  if (unknownFlags.length > 0) problems.push(`unknown option(s): ${unknownFlags.join(' ')} (known: --demo)`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    database,
    production: env.NODE_ENV === 'production',
    demo: argv.includes('--demo'),
    redisUrl,
  };
}
