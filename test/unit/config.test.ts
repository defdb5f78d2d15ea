import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('defaults to port 4000 and PGlite in ./data', () => {
    const config = loadConfig({}, [], '/srv/parley');
    expect(config).toMatchObject({ port: 4000, production: false, demo: false, database: { kind: 'pglite', dataDir: '/srv/parley/data' } });
  });

  it('reads PORT, DATABASE_URL, NODE_ENV and --demo', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://u@db:5432/parley', NODE_ENV: 'production' }, ['--demo'], '/x');
    expect(config).toMatchObject({ port: 8080, production: true, demo: true, database: { kind: 'postgres', url: 'postgresql://u@db:5432/parley' } });
    expect(loadConfig({ DATABASE_URL: 'pglite:memory' }, [], '/x').database).toEqual({ kind: 'pglite', dataDir: null });
    expect(loadConfig({ DATABASE_URL: 'pglite:./store' }, [], '/x').database).toEqual({ kind: 'pglite', dataDir: '/x/store' });
  });

  it('reports every bad setting at once, by name, without leaking a password', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://root:secret@db/x' }, ['--dmeo'], '/x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/--dmeo/);
    expect(problems.join('\n')).not.toMatch(/secret/);
  });

  it('reads PENDING_TTL_SECONDS (a week by default) and METRICS_TOKEN, refusing bad values', () => {
    expect(loadConfig({}, [], '/x')).toMatchObject({ pendingTtlSeconds: 604_800, metricsToken: null });
    expect(loadConfig({ PENDING_TTL_SECONDS: '3600', METRICS_TOKEN: 'sixteen-chars-ok' }, [], '/x')).toMatchObject({
      pendingTtlSeconds: 3600,
      metricsToken: 'sixteen-chars-ok',
    });
    expect(() => loadConfig({ PENDING_TTL_SECONDS: '0' }, [], '/x')).toThrow(/PENDING_TTL_SECONDS must be a whole number of seconds/);
    expect(() => loadConfig({ PENDING_TTL_SECONDS: '1.5' }, [], '/x')).toThrow(/PENDING_TTL_SECONDS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' }, [], '/x')).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
