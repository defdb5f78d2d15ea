import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_SETTINGS } from '../../src/live/settings.js';
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

  it('reads the live settings (subscription limits, outbox retention), refusing bad values', () => {
    expect(loadConfig({}, [], '/x').live).toEqual(DEFAULT_LIVE_SETTINGS);
    expect(
      loadConfig(
        {
          MAX_SUBSCRIPTIONS: '500',
          MAX_SUBSCRIPTIONS_PER_KEY: '50',
          MAX_SUBSCRIPTIONS_PER_TENANT: '200',
          LIVE_EVENTS_RETENTION_SECONDS: '3600',
          LIVE_EVENTS_MAX: '1000',
        },
        [],
        '/x',
      ).live,
    ).toEqual({ maxSubscriptions: 500, maxSubscriptionsPerKey: 50, maxSubscriptionsPerTenant: 200, retentionSeconds: 3600, maxRetainedEvents: 1000 });
    expect(() => loadConfig({ MAX_SUBSCRIPTIONS: '0', LIVE_EVENTS_MAX: 'lots' }, [], '/x')).toThrow(
      /MAX_SUBSCRIPTIONS must be a whole number of subscriptions, at least 1[\s\S]*LIVE_EVENTS_MAX must be a whole number of events/,
    );
  });

  it('reads the failed-authentication limit and the trusted proxies, refusing bad values', () => {
    expect(loadConfig({}, [], '/x').security).toMatchObject({ authFailureLimit: { perSecond: 2, burst: 20 }, trustProxyHops: 0 });
    expect(loadConfig({ AUTH_FAILURES_PER_SECOND: '0', TRUST_PROXY_HOPS: '2' }, [], '/x').security).toMatchObject({
      authFailureLimit: null,
      trustProxyHops: 2,
    });
    expect(() => loadConfig({ AUTH_FAILURES_BURST: '0', TRUST_PROXY_HOPS: '-1' }, [], '/x')).toThrow(/AUTH_FAILURES_BURST[\s\S]*TRUST_PROXY_HOPS/);
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
