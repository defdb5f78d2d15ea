// OAuth 2 client credentials (RFC 6749 §4.4), as Genesys Cloud and Salesforce's connected apps issue
// them: `POST <token url>` with HTTP Basic `client_id:client_secret` and `grant_type=client_credentials`.
// The token is reused until shortly before it expires — across runs of this process, so a connector
// scheduled every few minutes asks for one a day, not one a run — and renewed when the API answers 401.
import { createHash } from 'node:crypto';
import { readJson, sendWithRetries, type SendOptions, VendorAuthError, VendorResponseError } from './http.js';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** How the client authenticates: HTTP Basic (Genesys), or `client_id` and `client_secret` in the form body (Salesforce's documented request). */
  clientAuth?: 'basic' | 'body';
}

/** A token is renewed this long before the expiry it was given with. */
const EXPIRY_MARGIN_MS = 60_000;

/** Tokens of this process by token URL, client id and a digest of the secret (a changed secret is another client). */
const tokens = new Map<string, { value: string; expiresAt: number }>();

export class TokenSource {
  readonly #key: string;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly send: SendOptions,
    private readonly now: () => number = Date.now,
  ) {
    const secret = createHash('sha256').update(credentials.clientSecret).digest('base64url');
    this.#key = `${credentials.tokenUrl} ${credentials.clientId} ${secret}`;
  }

  /** A valid access token: the cached one, or a new one. */
  async get(): Promise<string> {
    const cached = tokens.get(this.#key);
    if (cached !== undefined && this.now() < cached.expiresAt) return cached.value;
    const fresh = await this.#fetch();
    tokens.set(this.#key, fresh);
    return fresh.value;
  }

  /** The API refused the token (401): the next get() asks for a new one. */
  invalidate(): void {
    tokens.delete(this.#key);
  }

  async #fetch(): Promise<{ value: string; expiresAt: number }> {
    const { tokenUrl, clientId, clientSecret, clientAuth = 'basic' } = this.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (clientAuth === 'basic') headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
    else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const response = await sendWithRetries('token request', () => new Request(tokenUrl, { method: 'POST', headers, body: form.toString() }), this.send);
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      const body = (await readJson(response, tokenUrl).catch(() => null)) as { error?: unknown; error_description?: unknown } | null;
      const reason = [body?.error, body?.error_description].filter((x) => typeof x === 'string').join(': ');
      throw new VendorAuthError(
        `the client credentials were refused by ${new URL(tokenUrl).host} (HTTP ${String(response.status)}${reason ? `, ${reason}` : ''}): check the client id and secret`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new VendorResponseError(`the token request answered HTTP ${String(response.status)}`, tokenUrl);
    }
    const body = (await readJson(response, tokenUrl)) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new VendorResponseError('the token answer has no access_token', tokenUrl);
    }
    // Salesforce gives no `expires_in` (its session timeout is the org's setting): an hour, then a 401 renews it sooner if need be.
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    return { value: body.access_token, expiresAt: this.now() + Math.max(1000, seconds * 1000 - EXPIRY_MARGIN_MS) };
  }
}

/**
 * GET `url` with the source's bearer token (through the send options' rate limit and retries); a 401
 * renews the token and asks once more. The last answer is returned with its body unread: what a status
 * means is the vendor's to say.
 */
export async function getWithToken(tokens: TokenSource, send: SendOptions, url: URL, headers: Record<string, string> = {}): Promise<Response> {
  for (let renewed = false; ; renewed = true) {
    const token = await tokens.get();
    const response = await sendWithRetries(
      `GET ${url.pathname}`,
      () => new Request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers } }),
      send,
    );
    if (response.status !== 401 || renewed) return response;
    await response.body?.cancel();
    tokens.invalidate();
  }
}
