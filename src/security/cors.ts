// CORS: only the configured origins get CORS headers (so a browser on another origin cannot read a
// response, nor send a preflighted request). `'*'` (the development default) reflects any origin;
// `[]` (the production default) answers no origin. Cookies are never used, so no credentials.
import type { YogaServerOptions } from 'graphql-yoga';
import { CSRF_HEADERS } from './csrf.js';

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors']>;

export function corsOption(origins: string[] | '*'): CorsOption {
  const allowed = new Set(origins === '*' ? [] : origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || (origins !== '*' && !allowed.has(origin))) return false;
    return {
      origin: [origin],
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'accept', ...CSRF_HEADERS],
      exposedHeaders: ['retry-after'],
      credentials: false,
      maxAge: 600,
    };
  };
}
