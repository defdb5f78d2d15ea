// The start-up rule of access control: with no API key ever created, a development gateway is open to
// every request (as the default tenant) and says so loudly; a production gateway refuses to start.
// "No key" means no row at all, revoked ones included, exactly as the Authenticator decides it.
import type { Prisma } from '../db/client.js';

export type AccessMode =
  | { mode: 'open'; warning: string }
  | { mode: 'keys'; keys: number; active: number; warning: string | null }
  | { mode: 'refuse'; message: string };

export async function accessMode(prisma: Prisma, options: { production: boolean; host: string }): Promise<AccessMode> {
  const [keys, active] = await Promise.all([prisma.apiKey.count(), prisma.apiKey.count({ where: { revokedAt: null } })]);
  if (keys === 0 && options.production) {
    return {
      mode: 'refuse',
      message: [
        'refusing to start: NODE_ENV=production and no API key exists, so every request would be refused',
        '(development mode, which needs no key, is never used in production).',
        'Create a key first, on the same DATABASE_URL:',
        '  npm run keys -- create --tenant <slug> --scopes read,ingest',
      ].join('\n'),
    };
  }
  if (keys === 0) {
    const where = options.host === '0.0.0.0' || options.host === '::' ? 'every network interface' : options.host;
    const bar = '!'.repeat(78);
    return {
      mode: 'open',
      warning: [
        bar,
        '!! DEVELOPMENT MODE: NO API KEY EXISTS, SO THIS GATEWAY NEEDS NONE.',
        `!! It listens on ${where}: anyone who can reach it can read, write and subscribe to`,
        '!! everything in the `default` tenant, personal data (pii) included. Never expose it like this.',
        '!! It ends as soon as the first key exists (stop the gateway first on embedded PGlite):',
        '!!   npm run keys -- create --tenant <slug> --scopes read,ingest',
        '!! With NODE_ENV=production the gateway refuses to start without a key.',
        bar,
      ].join('\n'),
    };
  }
  return {
    mode: 'keys',
    keys,
    active,
    warning: active === 0 ? 'parley: WARNING: every API key is revoked, so every request will be refused (npm run keys -- create ...)' : null,
  };
}
