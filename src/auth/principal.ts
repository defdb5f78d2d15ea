// Who is asking: the tenant whose data a request may touch, and what it may do there.

export const SCOPES = ['read', 'ingest', 'pii', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The tenant rows created before tenants existed belong to, and the one development mode acts as. */
export const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-000000000001';
export const DEFAULT_TENANT_SLUG = 'default';

export interface Principal {
  tenantId: string;
  tenantSlug: string;
  scopes: ReadonlySet<Scope>;
  /** The API key's id; null in development mode (no keys exist). */
  keyId: string | null;
  /** The key may only run persisted operations. */
  persistedOnly: boolean;
  /** The tenant treats message text as personal data (needs the `pii` scope). */
  messageTextIsPii: boolean;
}

/** Development mode: no key exists yet, so the single default tenant is open to every request. */
export function developmentPrincipal(): Principal {
  return {
    tenantId: DEFAULT_TENANT_ID,
    tenantSlug: DEFAULT_TENANT_SLUG,
    scopes: new Set(SCOPES),
    keyId: null,
    persistedOnly: false,
    messageTextIsPii: false,
  };
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
