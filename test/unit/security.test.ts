// The hardening's pieces on their own: persisted-operation files and the security settings read from
// the environment (the rate limit and the cost model: rate-limit.test.ts, cost.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { loadPersistedOperations, operationHash } from '../../src/security/persisted.js';

describe('persisted operations file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-persisted-'));
  it('loads hash → document and refuses an entry whose hash does not match', () => {
    const document = '{ __typename }';
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ [operationHash(document)]: document }));
    expect([...loadPersistedOperations(good)]).toEqual([[operationHash(document), document]]);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ abc: document }));
    expect(() => loadPersistedOperations(bad)).toThrow(/not the SHA-256/);
  });

  it('the repository file holds the README operations', () => {
    const config = loadConfig({}, [], path.resolve(import.meta.dirname, '../..'));
    expect([...config.security.persistedOperations.values()].some((d) => d.includes('query Dashboard'))).toBe(true);
  });
});

describe('security settings from the environment', () => {
  it('defaults: open in development, closed in production', () => {
    const dev = loadConfig({}, [], '/nowhere').security;
    expect(dev).toMatchObject({
      corsOrigins: '*',
      graphiql: true,
      introspection: true,
      rateLimit: null,
      timeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 120_000 },
    });
    const prod = loadConfig({ NODE_ENV: 'production' }, [], '/nowhere').security;
    expect(prod).toMatchObject({ corsOrigins: [], graphiql: false, introspection: false, rateLimit: { perSecond: 20, burst: 60, redisUrl: null } });
  });

  it('reads every variable', () => {
    const security = loadConfig(
      {
        NODE_ENV: 'production',
        CORS_ORIGINS: 'https://a.example.com, http://localhost:3000',
        GRAPHIQL: 'on',
        INTROSPECTION: 'true',
        RATE_LIMIT_PER_SECOND: '5',
        RATE_LIMIT_BURST: '10',
        REDIS_URL: 'redis://r:6379',
        HEADERS_TIMEOUT_MS: '5000',
        REQUEST_TIMEOUT_MS: '60000',
      },
      [],
      '/nowhere',
    ).security;
    expect(security).toMatchObject({
      corsOrigins: ['https://a.example.com', 'http://localhost:3000'],
      graphiql: true,
      introspection: true,
      rateLimit: { perSecond: 5, burst: 10, redisUrl: 'redis://r:6379' },
      timeouts: { headersTimeoutMs: 5000, requestTimeoutMs: 60000 },
    });
    expect(loadConfig({ NODE_ENV: 'production', RATE_LIMIT_PER_SECOND: '0' }, [], '/nowhere').security.rateLimit).toBeNull();
  });

  it('reports every bad value by name', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          CORS_ORIGINS: 'https://ok.example.com,not an origin,https://x.example.com/path',
          GRAPHIQL: 'maybe',
          RATE_LIMIT_PER_SECOND: '-1',
          RATE_LIMIT_BURST: '2.5',
          PERSISTED_OPERATIONS: '/no/such/file.json',
          HEADERS_TIMEOUT_MS: '9000',
          REQUEST_TIMEOUT_MS: '1000',
        },
        [],
        '/nowhere',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'not an origin',
      'x.example.com/path',
      'GRAPHIQL',
      'RATE_LIMIT_PER_SECOND',
      'RATE_LIMIT_BURST',
      'PERSISTED_OPERATIONS',
      'HEADERS_TIMEOUT_MS',
    ])
      expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(7);
  });
});
