// A local Salesforce org, written from the REST API Developer Guide and the OAuth 2.0 client credentials
// flow documentation, never the real service:
//   POST /services/oauth2/token          grant_type=client_credentials, client_id and client_secret in the
//                                        form body; the answer has no expires_in (the org's session timeout)
//   GET  /services/data/vXX.X/sobjects/{object}/describe      the object's fields in this org
//   GET  /services/data/vXX.X/query?q=<SOQL>                  the first batch: { totalSize, done, records,
//                                                             nextRecordsUrl } (records carry `attributes`)
//   GET  /services/data/vXX.X/query/<cursor>-<offset>         the next batch of the same result
// Batches are `Sforce-Query-Options: batchSize` (200 to 2,000, default 2,000) or fewer. Errors are arrays
// of { message, errorCode }: 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 400 INVALID_FIELD /
// MALFORMED_QUERY, 404 NOT_FOUND. The SOQL understood is the connector's two statements; any other is
// MALFORMED_QUERY. Date-times are Salesforce's `2024-05-01T09:30:00.000+0000`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeVendorServer, readBody, sendJson, type Answer } from './vendor-server.js';

export type FakeRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

export interface FakeSalesforceOptions {
  clientId?: string;
  clientSecret?: string;
  /** A token stops working after this many API requests (the org's session timeout); null: never. */
  tokenRequestLimit?: number | null;
  /** API requests the org may make before 403 REQUEST_LIMIT_EXCEEDED; null: no limit. */
  dailyRequestLimit?: number | null;
  /** Records per batch at most, whatever the client asks (Salesforce may send fewer than asked). */
  maxBatchSize?: number;
  /** The fields the org's describe lists for ConversationDefinitionSession. */
  sessionFields?: readonly string[];
}

export const SESSION_FIELDS = [
  'Id',
  'IsDeleted',
  'Name',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'ConversationDefinitionId',
  'SessionStartTime',
  'SessionDuration',
  'SessionEndType',
  'SessionStatus',
  'SessionTransferResult',
  'ChannelType',
  'Language',
];

const error = (errorCode: string, message: string) => [{ message, errorCode }];

/** `2024-05-01T09:30:00.000+0000`, as the REST API writes date-times. */
export function sfDate(at: Date | string | number): string {
  return new Date(at).toISOString().replace('Z', '+0000');
}

const SESSION_QUERY =
  /^SELECT (.+) FROM ConversationDefinitionSession WHERE SystemModstamp >= (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)(?: AND ChannelType NOT IN \((.+)\))? ORDER BY SystemModstamp ASC, Id ASC$/;
const BOT_VERSION_QUERY = /^SELECT Id, BotDefinitionId FROM BotVersion WHERE Id IN \((.+)\)$/;

/** The values of a SOQL list of string literals (`'a', 'b\'c'`); null when it is not one. */
function soqlStrings(list: string): string[] | null {
  const values: string[] = [];
  const literal = /\s*'((?:[^'\\]|\\.)*)'\s*(?:,|$)/y;
  while (literal.lastIndex < list.length) {
    const match = literal.exec(list);
    if (match === null) return null;
    values.push(match[1]!.replace(/\\(.)/g, '$1'));
  }
  return values;
}

export class FakeSalesforce extends FakeVendorServer {
  readonly sessions: FakeRecord[] = [];
  /** BotVersion id → BotDefinition id. */
  readonly botVersions = new Map<string, string>();
  /** The SOQL statements run, in order. */
  readonly queries: string[] = [];
  protected readonly tokenPath = '/services/oauth2/token';
  readonly #tokens = new Map<string, { used: number }>();
  readonly #cursors = new Map<string, Record<string, unknown>[]>();
  readonly #options: Required<FakeSalesforceOptions>;
  #apiRequests = 0;

  constructor(options: FakeSalesforceOptions = {}) {
    super();
    this.#options = {
      clientId: 'parley-connected-app',
      clientSecret: 'parley-secret',
      tokenRequestLimit: null,
      dailyRequestLimit: null,
      maxBatchSize: 2000,
      sessionFields: SESSION_FIELDS,
      ...options,
    };
  }

  protected errorBody(status: number, message: string): unknown {
    return error(status === 503 ? 'SERVER_UNAVAILABLE' : status >= 500 ? 'UNKNOWN_EXCEPTION' : 'FAKE_FAULT', message);
  }

  protected async token(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const form = new URLSearchParams(await readBody(req));
    if (req.method !== 'POST' || form.get('grant_type') !== 'client_credentials') {
      sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      return 400;
    }
    if (form.get('client_id') !== this.#options.clientId || form.get('client_secret') !== this.#options.clientSecret) {
      sendJson(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
      return 400;
    }
    const token = `00DFAKE!${String(this.tokenRequests)}${Math.random().toString(36).slice(2)}`;
    this.#tokens.set(token, { used: 0 });
    sendJson(res, 200, {
      access_token: token,
      signature: 'fake-signature',
      scope: 'api',
      instance_url: this.url,
      id: `${this.url}/id/00DFAKE/005FAKE`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
    });
    return 200;
  }

  protected authorise(req: IncomingMessage): Answer | null {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const state = token === undefined ? undefined : this.#tokens.get(token);
    const limit = this.#options.tokenRequestLimit;
    if (!state || (limit !== null && state.used >= limit)) return { status: 401, body: error('INVALID_SESSION_ID', 'Session expired or invalid') };
    state.used += 1;
    this.#apiRequests += 1;
    const daily = this.#options.dailyRequestLimit;
    if (daily !== null && this.#apiRequests > daily) return { status: 403, body: error('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') };
    return null;
  }

  protected route(url: URL, req: IncomingMessage): Answer {
    const match = /^\/services\/data\/v(\d+\.\d)\/(.+)$/.exec(url.pathname);
    if (!match) return { status: 404, body: error('NOT_FOUND', 'The requested resource does not exist') };
    const version = match[1]!;
    const rest = match[2]!;
    if (rest === 'sobjects/ConversationDefinitionSession/describe') {
      return { status: 200, body: { name: 'ConversationDefinitionSession', queryable: true, fields: this.#options.sessionFields.map((name) => ({ name })) } };
    }
    if (rest.startsWith('sobjects/')) return { status: 404, body: error('NOT_FOUND', 'The requested resource does not exist') };
    const batch = this.#batchSize(req);
    if (rest === 'query') return this.#query(url.searchParams.get('q') ?? '', version, batch);
    const next = /^query\/(01gFAKE\d+)-(\d+)$/.exec(rest);
    if (next) {
      const rows = this.#cursors.get(next[1]!);
      if (!rows) return { status: 400, body: error('INVALID_QUERY_LOCATOR', 'invalid query locator') };
      return { status: 200, body: this.#batch(rows, next[1]!, Number(next[2]), version, batch) };
    }
    return { status: 404, body: error('NOT_FOUND', 'The requested resource does not exist') };
  }

  #batchSize(req: IncomingMessage): number {
    const asked = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''))?.[1];
    const size = asked === undefined ? 2000 : Math.min(2000, Math.max(200, Number(asked)));
    return Math.min(size, this.#options.maxBatchSize);
  }

  #query(soql: string, version: string, batch: number): Answer {
    this.queries.push(soql);
    const bots = BOT_VERSION_QUERY.exec(soql);
    if (bots) {
      const ids = soqlStrings(bots[1]!);
      if (ids === null) return { status: 400, body: error('MALFORMED_QUERY', 'unexpected token') };
      const rows = ids
        .filter((id) => this.botVersions.has(id))
        .map((id) => ({
          attributes: { type: 'BotVersion', url: `/services/data/v${version}/sobjects/BotVersion/${id}` },
          Id: id,
          BotDefinitionId: this.botVersions.get(id),
        }));
      return { status: 200, body: this.#batch(rows, this.#cursor(rows), 0, version, batch) };
    }
    const sessions = SESSION_QUERY.exec(soql);
    if (!sessions) return { status: 400, body: error('MALFORMED_QUERY', `unexpected token in: ${soql.slice(0, 80)}`) };
    const fields = sessions[1]!.split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !this.#options.sessionFields.includes(f));
    if (unknown !== undefined) return { status: 400, body: error('INVALID_FIELD', `No such column '${unknown}' on entity 'ConversationDefinitionSession'.`) };
    const from = Date.parse(sessions[2]!);
    const skip = sessions[3] === undefined ? [] : soqlStrings(sessions[3]);
    if (skip === null) return { status: 400, body: error('MALFORMED_QUERY', 'unexpected token') };
    const time = (r: FakeRecord) => Date.parse(r.SystemModstamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    const rows = this.sessions
      .filter((r) => time(r) >= from && !(typeof r.ChannelType === 'string' && skip.includes(r.ChannelType)))
      .sort((a, b) => time(a) - time(b) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0))
      .map((r) => ({
        attributes: { type: 'ConversationDefinitionSession', url: `/services/data/v${version}/sobjects/ConversationDefinitionSession/${r.Id}` },
        ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])),
      }));
    return { status: 200, body: this.#batch(rows, this.#cursor(rows), 0, version, batch) };
  }

  /** The result is fixed when the query runs (a server-side cursor), as Salesforce's query locators are. */
  #cursor(rows: Record<string, unknown>[]): string {
    const id = `01gFAKE${String(this.#cursors.size + 1)}`;
    this.#cursors.set(id, rows);
    return id;
  }

  #batch(rows: Record<string, unknown>[], cursor: string, offset: number, version: string, size: number): unknown {
    const records = rows.slice(offset, offset + size);
    const done = offset + size >= rows.length;
    return {
      totalSize: rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursor}-${String(offset + size)}` }),
      records,
    };
  }
}
