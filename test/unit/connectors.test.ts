import { describe, expect, it } from 'vitest';
import { parseSyncArgs, SyncUsageError } from '../../src/cli/sync-options.js';
import { type ConfigError, loadConfig } from '../../src/config.js';
import { SLICE_MS, slices } from '../../src/connectors/genesys/sync.js';
import { backoffMs, RateLimiter, retryAfterMs } from '../../src/connectors/http.js';
import { recordingOf } from '../../src/connectors/einstein/record.js';
import { soqlDateTime, soqlString } from '../../src/connectors/salesforce/api.js';
import { salesforceDate, sessionOfRecord } from '../../src/connectors/salesforce/record.js';
import { genesysDomain } from '../../src/connectors/settings.js';
import { recordEndOutcome } from '../../src/vendors/einstein/normalize.js';

describe('connector settings', () => {
  it('read the Salesforce connected app, its My Domain, API version and the channels to leave out', () => {
    expect(loadConfig({}, []).connectors.salesforce).toBeNull();
    const config = loadConfig(
      {
        SALESFORCE_CLIENT_ID: 'app',
        SALESFORCE_CLIENT_SECRET: 'secret',
        SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com/',
        SALESFORCE_SKIP_CHANNEL_TYPES: ' API , ',
      },
      [],
    );
    expect(config.connectors.salesforce).toEqual({
      instanceUrl: 'https://acme.my.salesforce.com',
      loginUrl: 'https://acme.my.salesforce.com',
      clientId: 'app',
      clientSecret: 'secret',
      apiVersion: '62.0',
      skipChannelTypes: ['API'],
      requestsPerMinute: 60,
    });
    let problems: string[] = [];
    try {
      loadConfig({ SALESFORCE_CLIENT_ID: 'app', SALESFORCE_API_VERSION: 'v62', SALESFORCE_LOGIN_URL: 'login' }, []);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'SALESFORCE_CLIENT_ID is set without SALESFORCE_CLIENT_SECRET',
      'SALESFORCE_INSTANCE_URL must be the org\'s My Domain URL such as https://<my domain>.my.salesforce.com (got "")',
      'SALESFORCE_LOGIN_URL must be an http(s) URL such as https://<my domain>.my.salesforce.com (got "login")',
      'SALESFORCE_API_VERSION must be a REST API version such as 62.0 (got "v62")',
    ]);
  });

  it('are off without GENESYS_CLIENT_ID, and derive the API and login hosts from the region', () => {
    expect(loadConfig({}, []).connectors).toMatchObject({ genesys: null, intervalSeconds: null, tenant: 'default', overlapSeconds: 3600, firstRunDays: 10 });
    const config = loadConfig(
      {
        GENESYS_CLIENT_ID: 'id',
        GENESYS_CLIENT_SECRET: 'secret',
        GENESYS_REGION: 'eu-west-1',
        GENESYS_BOT_FLOW_IDS: ' a, b ,',
        GENESYS_JOURNEY_CONTACT_IDS: 'c1',
      },
      [],
    );
    expect(config.connectors.genesys).toEqual({
      apiUrl: 'https://api.mypurecloud.ie',
      loginUrl: 'https://login.mypurecloud.ie',
      clientId: 'id',
      clientSecret: 'secret',
      botFlowIds: ['a', 'b'],
      journeyContactIds: ['c1'],
      requestsPerMinute: 300,
    });
    const explicit = loadConfig(
      { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's', GENESYS_API_URL: 'http://127.0.0.1:8080/', SYNC_INTERVAL_SECONDS: '600', SYNC_TENANT: 'acme' },
      [],
    );
    expect(explicit.connectors).toMatchObject({
      intervalSeconds: 600,
      tenant: 'acme',
      genesys: { apiUrl: 'http://127.0.0.1:8080', loginUrl: 'http://127.0.0.1:8080', botFlowIds: null },
    });
  });

  it('refuse half-set credentials, unknown regions, bad URLs and numbers, by name', () => {
    let problems: string[] = [];
    try {
      loadConfig(
        { GENESYS_CLIENT_ID: 'id', GENESYS_REGION: 'mars', GENESYS_LOGIN_URL: 'ftp://x', SYNC_INTERVAL_SECONDS: '0', GENESYS_REQUESTS_PER_MINUTE: 'lots' },
        [],
      );
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^SYNC_INTERVAL_SECONDS must be/),
      expect.stringMatching(/^GENESYS_CLIENT_ID is set without GENESYS_CLIENT_SECRET/),
      expect.stringMatching(/^GENESYS_REGION must be a Genesys Cloud region/),
      expect.stringMatching(/^GENESYS_LOGIN_URL must be an http\(s\) URL/),
      expect.stringMatching(/^GENESYS_REQUESTS_PER_MINUTE must be/),
    ]);
    expect(() => loadConfig({ GENESYS_CLIENT_SECRET: 's' }, [])).toThrow(/GENESYS_CLIENT_SECRET is set without GENESYS_CLIENT_ID/);
  });

  it('know regions by AWS name or domain', () => {
    expect(genesysDomain('us-east-1')).toBe('mypurecloud.com');
    expect(genesysDomain('ap-northeast-1')).toBe('mypurecloud.jp');
    expect(genesysDomain('api.usw2.pure.cloud')).toBe('usw2.pure.cloud');
    expect(genesysDomain('mypurecloud.de')).toBe('mypurecloud.de');
    expect(genesysDomain('constructor')).toBeNull();
  });
});

describe('vendor HTTP', () => {
  it('spaces requests to the documented rate, and holds them for a Retry-After', async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new RateLimiter(
      300,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
      () => now,
    );
    for (let i = 0; i < 5; i++) await limiter.take();
    // 300 a minute: one every 200 ms, the first at once.
    expect(slept).toEqual([200, 200, 200, 200]);
    limiter.holdFor(7000);
    await limiter.take();
    expect(slept.at(-1)).toBe(7000);
  });

  it('reads Retry-After as seconds or an HTTP date, and backs off exponentially with jitter, capped', () => {
    expect(retryAfterMs('42')).toBe(42_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('Wed, 21 Oct 2026 07:27:30 GMT'))).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
    const policy = { baseDelayMs: 500, maxDelayMs: 30_000 };
    expect(backoffMs(1, policy, () => 0)).toBe(250);
    expect(backoffMs(1, policy, () => 1)).toBe(500);
    expect(backoffMs(4, policy, () => 1)).toBe(4000);
    expect(backoffMs(20, policy, () => 1)).toBe(30_000);
  });
});

describe('Genesys sync windows', () => {
  it('cuts [start, end) into days, oldest first, the last ending at end', () => {
    const start = new Date('2026-11-20T00:00:00.000Z');
    const end = new Date(start.getTime() + 2.5 * SLICE_MS);
    expect(slices(start, end).map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
      ['2026-11-21T00:00:00.000Z', '2026-11-22T00:00:00.000Z'],
      ['2026-11-22T00:00:00.000Z', '2026-11-22T12:00:00.000Z'],
    ]);
    expect(slices(end, start)).toEqual([]);
  });
});

describe('npm run sync arguments', () => {
  it('reads --vendor, --tenant and --since, and refuses the rest', () => {
    expect(parseSyncArgs(['--vendor', 'genesys'])).toEqual({ vendor: 'genesys', tenant: null, since: null });
    expect(parseSyncArgs(['--vendor', 'genesys', '--tenant', 'acme', '--since', '2026-11-20'])).toEqual({
      vendor: 'genesys',
      tenant: 'acme',
      since: new Date('2026-11-20T00:00:00.000Z'),
    });
    expect(parseSyncArgs(['--help'])).toBe('help');
    expect(() => parseSyncArgs([])).toThrow(SyncUsageError);
    expect(() => parseSyncArgs(['--vendor'])).toThrow(/--vendor needs a value/);
    expect(() => parseSyncArgs(['--vendor', 'genesys', '--since', '20/11/2026'])).toThrow(/ISO 8601/);
    expect(() => parseSyncArgs(['--vendor', 'genesys', '--fast'])).toThrow(/unknown argument "--fast"/);
  });
});

describe('the Einstein recording proxy', () => {
  it('is configured by EINSTEIN_RUNTIME_URL, which must be an http(s) URL', () => {
    expect(loadConfig({}, []).connectors.einsteinRuntimeUrl).toBeNull();
    expect(loadConfig({ EINSTEIN_RUNTIME_URL: 'https://runtime.example/' }, []).connectors.einsteinRuntimeUrl).toBe('https://runtime.example');
    expect(() => loadConfig({ EINSTEIN_RUNTIME_URL: 'runtime.example' }, [])).toThrow(/EINSTEIN_RUNTIME_URL must be an http\(s\) URL/);
  });

  it('records what an exchange says: the user first, then the bot; the ids from the path', () => {
    const reply = { processedSequenceIds: [2], messages: [{ type: 'text', id: 'r2', text: 'Tomorrow.' }] };
    const sent = recordingOf({
      method: 'POST',
      path: '/v5.0.0/sessions/s-1/messages',
      requestBody: { message: { type: 'text', sequenceId: 2, text: 'When?' } },
      endReason: null,
      status: 200,
      responseBody: reply,
    });
    expect(sent?.params).toEqual(new Map([['sessionId', 's-1']]));
    expect(sent?.document.messages).toEqual([{ type: 'text', sender: 'User', sequenceId: 2, text: 'When?' }, reply.messages[0]]);
    const start = recordingOf({
      method: 'POST',
      path: '/v5.3.0/bots/B1/sessions',
      requestBody: { message: { text: 'Hi' } },
      endReason: null,
      status: 200,
      responseBody: { sessionId: 's-2', processedSequenceIds: [0], messages: [] },
    });
    expect(start?.params).toEqual(new Map([['botId', 'B1']]));
    expect(start?.document.messages).toEqual([{ type: 'text', sender: 'User', sequenceId: 0, text: 'Hi' }]);
    // An end without a sessionEnded message gets one, with the header's reason.
    const end = recordingOf({
      method: 'DELETE',
      path: '/v5.0.0/sessions/s-1',
      requestBody: null,
      endReason: 'Transfer',
      status: 200,
      responseBody: { messages: [] },
    });
    expect(end?.document.messages).toEqual([{ type: 'sessionEnded', reason: 'Transfer' }]);
    // Errors and calls that are not about a session record nothing.
    expect(
      recordingOf({ method: 'POST', path: '/v5.0.0/bots/B1/sessions', requestBody: {}, endReason: null, status: 401, responseBody: { status: 401 } }),
    ).toBeNull();
    expect(recordingOf({ method: 'GET', path: '/status', requestBody: null, endReason: null, status: 200, responseBody: { status: 'UP' } })).toBeNull();
  });
});

describe('Salesforce records', () => {
  it('read Salesforce date-times, write SOQL literals, and map end types exactly', () => {
    expect(salesforceDate('2024-05-01T09:30:00.000+0000')?.toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(salesforceDate('2024-05-01T11:30:00.000+0200')?.toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(salesforceDate('yesterday')).toBeNull();
    expect(salesforceDate(null)).toBeNull();
    expect(soqlDateTime(new Date('2024-05-01T09:30:00.999Z'))).toBe('2024-05-01T09:30:00Z');
    expect(soqlString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(recordEndOutcome({ SessionEndType: 'Transfer' })).toBe('ESCALATED');
    expect(recordEndOutcome({ SessionEndType: 'Transfer', SessionTransferResult: 'Failed' })).toBe('ERROR');
    expect(recordEndOutcome({ SessionEndType: 'Abandoned' })).toBe('ABANDONED');
    expect(recordEndOutcome({ SessionEndType: 'SomethingNew' })).toBe('UNKNOWN');
    expect(recordEndOutcome({})).toBeNull();
    const document = sessionOfRecord(
      {
        attributes: { type: 'ConversationDefinitionSession' },
        Id: '0Yt1',
        ConversationDefinitionId: '0X9A',
        SessionStartTime: '2024-05-01T09:30:00.000+0000',
        SessionDuration: 60_000,
        SessionEndType: null,
      },
      new Map([['0X9A', '0XxBOT']]),
    );
    expect(document).toEqual({
      sessionId: '0Yt1',
      botId: '0XxBOT',
      botVersion: '0X9A',
      status: 'Ended',
      sessionEnded: true,
      createdDate: '2024-05-01T09:30:00.000Z',
      lastActiveDate: '2024-05-01T09:31:00.000Z',
      conversationDefinitionSession: {
        Id: '0Yt1',
        ConversationDefinitionId: '0X9A',
        SessionStartTime: '2024-05-01T09:30:00.000+0000',
        SessionDuration: 60_000,
        SessionEndType: null,
      },
    });
  });
});
