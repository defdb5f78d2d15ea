// GET /metrics in Prometheus' text format. Scrapers carry no API key: the route has its own token,
// METRICS_TOKEN (`Authorization: Bearer <token>`), required in production; without one, production
// does not serve metrics at all.
import type { Plugin } from 'graphql-yoga';
import { timingSafeEqual } from 'node:crypto';
import type { Metrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

export function metricsPlugin(metrics: Metrics, options: { token: string | null; production: boolean }): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== METRICS_PATH) return;
      if (request.method !== 'GET') return endResponse(plain(405, 'GET /metrics', { allow: 'GET' }));
      if (options.token === null && options.production) {
        return endResponse(plain(403, 'metrics are off: set METRICS_TOKEN to serve them in production'));
      }
      if (options.token !== null) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
        if (!sameToken(given, options.token))
          return endResponse(plain(401, 'send METRICS_TOKEN as `Authorization: Bearer <token>`', { 'www-authenticate': 'Bearer realm="parley-metrics"' }));
      }
      try {
        endResponse(new Response(await metrics.registry.metrics(), { status: 200, headers: { 'content-type': metrics.registry.contentType } }));
      } catch {
        // A gauge reads the database: while it is away, the scrape fails as a whole (the scraper records that).
        endResponse(plain(503, 'metrics unavailable: the database could not be read', { 'retry-after': '5' }));
      }
    },
  };
}
