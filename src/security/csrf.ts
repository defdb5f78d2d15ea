// CSRF: Parley authenticates with a bearer key, never a cookie, so a forged cross-site request carries
// no credential — except in development mode (no keys: every request is served). Still, every GraphQL
// request a browser could send without a CORS preflight (a GET, or a POST as a form or text/plain)
// must carry one of these headers, which a page on another origin cannot add without a preflight:
// `x-parley-csrf` (any value), or `Authorization` (an API key). JSON POSTs are preflighted and pass.
// The ingest routes accept only JSON and NDJSON bodies (preflighted types), so a form POST gets 415.
import type { Plugin } from 'graphql-yoga';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { SecurityCode, securityError } from './errors.js';

export const CSRF_HEADERS = ['x-parley-csrf', 'authorization'] as const;

export function csrfPlugin(): Plugin {
  const inner = useCSRFPrevention({ requestHeaders: [...CSRF_HEADERS] });
  const onRequestParse = inner.onRequestParse!;
  return {
    onRequestParse(payload) {
      try {
        return onRequestParse(payload);
      } catch {
        // Yoga's plugin refuses with a bare message; ours says what to send and has a code.
        throw securityError(
          SecurityCode.CSRF_HEADER_MISSING,
          'a GET or form/text POST must carry an `x-parley-csrf` header or an `Authorization` API key (CSRF protection); or POST application/json',
          403,
        );
      }
    },
  };
}
