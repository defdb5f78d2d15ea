// Genesys Cloud's Platform API as the connector uses it (developer.genesys.cloud; the platform SDKs'
// AnalyticsApi and ArchitectApi):
//   GET /api/v2/flows?type=bot&type=digitalbot&pageNumber=&pageSize=      bot flows (page numbers)
//   GET /api/v2/analytics/botflows/{id}/sessions?interval=&pageSize=&after=          newest first
//   GET /api/v2/analytics/botflows/{id}/divisions/reportingturns?interval=&pageSize=&after=
//   GET /api/v2/externalcontacts/contacts/{id}/journey/sessions?pageSize=&after=     no time window
// The analytics listings page with a cursor: follow `nextUri` until it is absent. `interval` is ISO 8601
// `start/end` and filters sessions on their completion. Bearer token from OAuth client credentials.
import { readJson, type SendOptions, VendorAuthError, VendorResponseError } from '../http.js';
import { getWithToken, TokenSource } from '../oauth.js';
import type { GenesysSettings } from '../settings.js';

/** The analytics endpoints' documented maximum. */
export const ANALYTICS_PAGE_SIZE = 250;
const FLOWS_PAGE_SIZE = 100;
/** `SessionListing`'s documented maximum. */
export const JOURNEY_PAGE_SIZE = 200;

export interface BotFlow {
  id: string;
  name: string | null;
}

export interface Page {
  /** The request, relative to the API (for logs and errors). */
  url: string;
  entities: unknown[];
}

export type BotFlowStream = 'sessions' | 'turns';

const STREAM_PATHS: Record<BotFlowStream, (flowId: string) => string> = {
  sessions: (id) => `/api/v2/analytics/botflows/${encodeURIComponent(id)}/sessions`,
  turns: (id) => `/api/v2/analytics/botflows/${encodeURIComponent(id)}/divisions/reportingturns`,
};

export class GenesysApi {
  readonly #tokens: TokenSource;
  readonly #apiOrigin: string;

  constructor(
    private readonly settings: GenesysSettings,
    private readonly send: SendOptions,
  ) {
    this.#tokens = new TokenSource(
      { tokenUrl: new URL('/oauth/token', settings.loginUrl).href, clientId: settings.clientId, clientSecret: settings.clientSecret },
      send,
    );
    this.#apiOrigin = new URL(settings.apiUrl).origin;
  }

  /** Checks the credentials (a token) before a run starts writing anything. */
  async authenticate(): Promise<void> {
    await this.#tokens.get();
  }

  /** GET a path of the API as JSON (a 401 renews the token once: getWithToken). */
  async #get(pathAndQuery: string): Promise<unknown> {
    const url = new URL(pathAndQuery, this.settings.apiUrl);
    // A `nextUri` is followed only on the API's own origin: the token must never travel elsewhere.
    if (url.origin !== this.#apiOrigin) throw new VendorResponseError(`a page points outside the API (${url.origin})`, pathAndQuery);
    const shown = `${url.pathname}${url.search}`;
    const response = await getWithToken(this.#tokens, this.send, url);
    if (response.status === 401 || response.status === 403) {
      const body = (await readJson(response, shown).catch(() => null)) as { message?: unknown } | null;
      const detail = typeof body?.message === 'string' ? `: ${body.message}` : '';
      throw new VendorAuthError(
        `GET ${url.pathname} was refused (HTTP ${String(response.status)}${detail}); the OAuth client needs the analytics:botFlowSession:view, analytics:botFlowDivisionAwareReportingTurn:view and architect:flow:view permissions (and externalContacts:session:view for journey sessions)`,
      );
    }
    if (!response.ok) {
      const body = (await readJson(response, shown).catch(() => null)) as { message?: unknown } | null;
      throw new VendorResponseError(`HTTP ${String(response.status)}${typeof body?.message === 'string' ? `: ${body.message}` : ''}`, shown);
    }
    return readJson(response, shown);
  }

  /** The organisation's bot flows (Architect `bot` and `digitalbot` flows), page by page. */
  async *botFlows(): AsyncGenerator<BotFlow> {
    for (let pageNumber = 1; ; pageNumber++) {
      const path = `/api/v2/flows?type=bot&type=digitalbot&pageSize=${String(FLOWS_PAGE_SIZE)}&pageNumber=${String(pageNumber)}`;
      const page = (await this.#get(path)) as { entities?: unknown; pageCount?: unknown };
      if (!Array.isArray(page.entities)) throw new VendorResponseError('the flows page has no `entities` array', path);
      for (const flow of page.entities as { id?: unknown; name?: unknown }[]) {
        if (typeof flow.id === 'string') yield { id: flow.id, name: typeof flow.name === 'string' ? flow.name : null };
      }
      const pageCount = typeof page.pageCount === 'number' ? page.pageCount : pageNumber;
      if (pageNumber >= pageCount || page.entities.length === 0) return;
    }
  }

  /**
   * Every page of one bot flow's sessions or reporting turns in `[start, end)`, following `nextUri`.
   * A page that cannot be read throws VendorResponseError (the caller stops this stream there).
   */
  pages(flowId: string, stream: BotFlowStream, start: Date, end: Date): AsyncGenerator<Page> {
    const query = new URLSearchParams({ interval: `${start.toISOString()}/${end.toISOString()}`, pageSize: String(ANALYTICS_PAGE_SIZE) });
    return this.#listing(`${STREAM_PATHS[stream](flowId)}?${query.toString()}`);
  }

  /**
   * Every page of an external contact's journey sessions (`GET /api/v2/externalcontacts/contacts/{id}/journey/sessions`,
   * `SessionListing`): the only listing of journey sessions Genesys has; it takes no time window.
   */
  journeySessions(contactId: string): AsyncGenerator<Page> {
    const query = new URLSearchParams({ pageSize: String(JOURNEY_PAGE_SIZE) });
    return this.#listing(`/api/v2/externalcontacts/contacts/${encodeURIComponent(contactId)}/journey/sessions?${query.toString()}`);
  }

  /** A listing's pages from `first`, following `nextUri` until it is absent. */
  async *#listing(first: string): AsyncGenerator<Page> {
    let next: string | null = first;
    const seen = new Set<string>();
    while (next !== null) {
      // A `nextUri` that repeats would page forever.
      if (seen.has(next)) throw new VendorResponseError('the API gave the same nextUri twice', next);
      seen.add(next);
      const url: string = next;
      const page = (await this.#get(url)) as { entities?: unknown; nextUri?: unknown };
      if (page === null || typeof page !== 'object') throw new VendorResponseError('the page is not an object', url);
      // An empty listing may leave `entities` out.
      if (page.entities !== undefined && !Array.isArray(page.entities)) throw new VendorResponseError('`entities` is not an array', url);
      const entities = (page.entities as unknown[] | undefined) ?? [];
      yield { url, entities };
      // An empty page ends the listing even if it names a next one (nothing could follow it).
      next = entities.length > 0 && typeof page.nextUri === 'string' && page.nextUri !== '' ? page.nextUri : null;
    }
  }
}
