// GET /monitor: the supervisor's live page (web/, built by `npm run build` into dist/web), served as
// static files. No key is needed for the files — the page asks for one and sends it with its GraphQL
// requests — and a Content-Security-Policy keeps every request the page makes on this origin.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';

export const MONITOR_PATH = '/monitor';

/** Where the build puts the page: the same from src/ (tests, tsx) and from dist/ (npm start). */
export const MONITOR_DIR = path.resolve(import.meta.dirname, '..', 'dist', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Only this origin, for everything; inline styles because the component library sets some. */
const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function monitorPlugin(dir = MONITOR_DIR): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== MONITOR_PATH && !url.pathname.startsWith(`${MONITOR_PATH}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return endResponse(text(405, 'GET only'));
      if (url.pathname === MONITOR_PATH) return endResponse(new Response(null, { status: 308, headers: { location: `${MONITOR_PATH}/` } }));
      let relative: string;
      try {
        relative = decodeURIComponent(url.pathname.slice(MONITOR_PATH.length + 1)) || 'index.html';
      } catch {
        return endResponse(text(404, 'not found'));
      }
      const file = path.resolve(dir, relative);
      // Never outside the build's directory (`..`, encoded or not).
      if (!file.startsWith(`${dir}${path.sep}`)) return endResponse(text(404, 'not found'));
      const type = TYPES[path.extname(file)];
      if (type === undefined) return endResponse(text(404, 'not found'));
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        if (relative === 'index.html') return endResponse(text(503, 'the monitor page is not built: run `npm run build`'));
        return endResponse(text(404, 'not found'));
      }
      // Vite names assets by their content: they never change; the page itself is always checked.
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      endResponse(
        new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers: { 'content-type': type, 'cache-control': cache, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
        }),
      );
    },
  };
}
