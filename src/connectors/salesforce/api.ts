// Salesforce's REST API as the connector uses it (developer.salesforce.com, "REST API Developer Guide"):
//   POST {login}/services/oauth2/token          client credentials flow: grant_type, client_id and
//                                               client_secret in the form body; no `expires_in`
//   GET  /services/data/vXX.X/sobjects/{object}/describe     the object's fields in this org
//   GET  /services/data/vXX.X/query?q=<SOQL>                 { totalSize, done, records, nextRecordsUrl }
//   GET  {nextRecordsUrl}                                    the next batch (`/services/data/vXX.X/query/01g...-2000`)
// Errors are a JSON array of `{ message, errorCode }`: 401 INVALID_SESSION_ID (the token expired),
// 403 REQUEST_LIMIT_EXCEEDED (the org's daily API requests are spent), 400 INVALID_FIELD / MALFORMED_QUERY,
// 404 NOT_FOUND (the object is not in this org), 503 when the instance is unavailable.
import { readJson, type SendOptions, VendorAuthError, VendorResponseError, VendorUnavailableError } from '../http.js';
import { getWithToken, TokenSource } from '../oauth.js';
import type { SalesforceSettings } from '../settings.js';

/** Records per batch the query asks for (`Sforce-Query-Options: batchSize`, 200 to 2,000; Salesforce may send fewer). */
export const QUERY_BATCH_SIZE = 2000;

export interface QueryPage {
  /** The request, relative to the instance (for logs and errors). */
  url: string;
  records: Record<string, unknown>[];
}

interface SalesforceError {
  message?: unknown;
  errorCode?: unknown;
}

/** `[{ message, errorCode }]` (or one such object) as `CODE: message`. */
function errorText(body: unknown): string {
  const first = (Array.isArray(body) ? body[0] : body) as SalesforceError | null | undefined;
  if (first === null || typeof first !== 'object') return '';
  return [first.errorCode, first.message].filter((x): x is string => typeof x === 'string').join(': ');
}

function errorCode(body: unknown): string | null {
  const first = (Array.isArray(body) ? body[0] : body) as SalesforceError | null | undefined;
  return first !== null && typeof first === 'object' && typeof first.errorCode === 'string' ? first.errorCode : null;
}

/** A SOQL string literal: quotes and backslashes escaped (SOQL's own escapes). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOQL date-time literal (`2024-05-01T09:30:00Z`: whole seconds, UTC, unquoted), rounded down. */
export function soqlDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

export class SalesforceApi {
  readonly #tokens: TokenSource;
  readonly #origin: string;

  constructor(
    private readonly settings: SalesforceSettings,
    private readonly send: SendOptions,
  ) {
    this.#tokens = new TokenSource(
      {
        tokenUrl: new URL('/services/oauth2/token', settings.loginUrl).href,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        clientAuth: 'body',
      },
      send,
    );
    this.#origin = new URL(settings.instanceUrl).origin;
  }

  get #base(): string {
    return `/services/data/v${this.settings.apiVersion}`;
  }

  /** Checks the credentials (a token) before a run starts writing anything. */
  async authenticate(): Promise<void> {
    await this.#tokens.get();
  }

  /** GET a path of the instance as JSON (a 401 renews the token once: getWithToken). */
  async #get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<unknown> {
    const url = new URL(pathAndQuery, this.settings.instanceUrl);
    // A `nextRecordsUrl` is followed only on the instance itself: the token must never travel elsewhere.
    if (url.origin !== this.#origin) throw new VendorResponseError(`a page points outside the instance (${url.origin})`, pathAndQuery);
    const shown = `${url.pathname}${url.search}`;
    const response = await getWithToken(this.#tokens, this.send, url, headers);
    if (response.ok) return readJson(response, shown);
    const body = await readJson(response, shown).catch(() => null);
    const detail = errorText(body);
    const status = `HTTP ${String(response.status)}${detail ? ` ${detail}` : ''}`;
    if (response.status === 401 || (response.status === 403 && errorCode(body) !== 'REQUEST_LIMIT_EXCEEDED')) {
      throw new VendorAuthError(
        `GET ${url.pathname} was refused (${status}); the connected app's run-as user needs the API Enabled permission and read access to ConversationDefinitionSession and BotVersion`,
      );
    }
    // The org's API requests for the last 24 hours are spent: nothing will succeed until they free up.
    if (response.status === 403)
      throw new VendorUnavailableError(`Salesforce refused the request (${status}): try again when the org's daily API requests free up`);
    throw new VendorResponseError(status, shown);
  }

  /** The names of the object's fields in this org (orgs differ by edition, release and permissions). */
  async fieldNames(object: string): Promise<string[]> {
    const path = `${this.#base}/sobjects/${encodeURIComponent(object)}/describe`;
    const body = (await this.#get(path)) as { fields?: unknown } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.fields))
      throw new VendorResponseError('the describe answer has no `fields` array', path);
    return (body.fields as { name?: unknown }[]).map((f) => f.name).filter((name): name is string => typeof name === 'string' && name !== '');
  }

  /**
   * Every batch of a SOQL query's records, following `nextRecordsUrl` until `done`. A batch that cannot
   * be read throws VendorResponseError (the caller stops there).
   */
  async *query(soql: string): AsyncGenerator<QueryPage> {
    let next: string | null = `${this.#base}/query?${new URLSearchParams({ q: soql }).toString()}`;
    const options = { 'sforce-query-options': `batchSize=${String(QUERY_BATCH_SIZE)}` };
    const seen = new Set<string>();
    while (next !== null) {
      // A `nextRecordsUrl` that repeats would page forever.
      if (seen.has(next)) throw new VendorResponseError('Salesforce gave the same nextRecordsUrl twice', next);
      seen.add(next);
      const url: string = next;
      const page = (await this.#get(url, options)) as { records?: unknown; done?: unknown; nextRecordsUrl?: unknown } | null;
      if (page === null || typeof page !== 'object' || !Array.isArray(page.records)) throw new VendorResponseError('the answer has no `records` array', url);
      const records = (page.records as unknown[]).map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {}));
      yield { url, records };
      const more = page.done === false && typeof page.nextRecordsUrl === 'string' && page.nextRecordsUrl !== '';
      if (page.done === false && !more) throw new VendorResponseError('the answer is not `done` and has no nextRecordsUrl', url);
      next = more ? (page.nextRecordsUrl as string) : null;
    }
  }
}
