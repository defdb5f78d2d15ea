// When `npm start` (scripts/run.mjs) rebuilds dist/: when a source or the build's settings changed
// since the last build, and not when an install regenerated Prisma's client (src/generated), which
// would otherwise make every production install look stale.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distIsStale } from '../../scripts/dist.mjs';

let dir = '';
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 12, minutes));
async function file(name: string, minutes: number): Promise<void> {
  const full = path.join(dir, name);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, '');
  await utimes(full, at(minutes), at(minutes));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-dist-'));
  for (const name of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'prisma/schema.prisma', 'src/main.ts', 'src/db/client.ts'])
    await file(name, 0);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('distIsStale', () => {
  it('is stale without a build, and current after one', async () => {
    expect(distIsStale(dir)).toBe(true);
    await file('dist/.built', 10);
    expect(distIsStale(dir)).toBe(false);
  });

  it('ignores a regenerated Prisma client, but not a changed Prisma schema', async () => {
    await file('src/generated/prisma/client.ts', 20);
    expect(distIsStale(dir)).toBe(false);
    await file('prisma/schema.prisma', 20);
    expect(distIsStale(dir)).toBe(true);
    await file('dist/.built', 30);
    expect(distIsStale(dir)).toBe(false);
  });

  it('is stale when any source or build setting is newer than the build', async () => {
    await file('src/db/client.ts', 40);
    expect(distIsStale(dir)).toBe(true);
    await file('dist/.built', 50);
    await file('tsconfig.build.json', 60);
    expect(distIsStale(dir)).toBe(true);
  });
});
