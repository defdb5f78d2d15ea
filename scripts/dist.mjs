// The compiled gateway in dist/ (tsconfig.build.json) and the monitor page in dist/web (Vite): whether
// they are older than the sources, and building them. Used by scripts/run.mjs (npm start and the CLIs) and by the tests' global setup.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Written after a build that succeeded, removed before each build: tsc's own .tsbuildinfo is no
 * witness (an incremental build with nothing to do leaves it untouched, and a build that fails the
 * type check still writes it, with the JavaScript).
 */
const stampOf = (dir) => path.join(dir, 'dist', '.built');

/** What the build reads: the gateway's TypeScript, and the monitor page's sources and styles. */
const SOURCE = /\.(ts|tsx|css|html)$/;

/**
 * The newest modification time of the sources under `dir`. Prisma's generated client is left out:
 * every install regenerates it (`prisma generate`), unchanged unless prisma/schema.prisma changed,
 * which is looked at instead.
 */
function newestSource(dir, generated) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory() && full === generated) continue;
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full, generated));
    else if (SOURCE.test(item.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether `dir`'s dist/ (the project's by default) is missing, or older than its src/ or the build's settings. */
export function distIsStale(dir = root) {
  const stamp = stampOf(dir);
  if (!existsSync(stamp)) return true;
  const settings = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'prisma/schema.prisma', 'web/vite.config.ts', 'web/tsconfig.json']
    .map((file) => path.join(dir, file))
    .filter((file) => existsSync(file))
    .map((file) => statSync(file).mtimeMs);
  const sources = Math.max(newestSource(path.join(dir, 'src'), path.join(dir, 'src', 'generated')), newestSource(path.join(dir, 'web'), null));
  return Math.max(sources, ...settings) > statSync(stamp).mtimeMs;
}

/** The TypeScript compiler's entry point, or null when TypeScript is not installed. */
function typescriptCompiler() {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return null;
  }
}

/** Builds dist/ (`npm run build`); throws when the build fails, and then dist/ counts as stale. */
export function build() {
  const tsc = typescriptCompiler();
  if (tsc === null) throw new Error('TypeScript is not installed: run `npm ci` (with the development dependencies) first.');
  rmSync(stampOf(root), { force: true });
  const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the build failed (exit ${String(built.status)})`);
  // The monitor page (web/): type-checked, then bundled by Vite into dist/web.
  const checked = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'web', 'tsconfig.json')], { stdio: 'inherit' });
  if (checked.status !== 0) throw new Error(`the monitor page does not type-check (exit ${String(checked.status)})`);
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  // Always React's production build: a NODE_ENV inherited from the caller (vitest sets `test`) would
  // otherwise bundle the development build.
  const bundled = spawnSync(process.execPath, [vite, 'build', '--config', path.join(root, 'web', 'vite.config.ts')], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (bundled.status !== 0) throw new Error(`the monitor page's build failed (exit ${String(bundled.status)})`);
  writeFileSync(stampOf(root), `${new Date().toISOString()}\n`);
}

/**
 * Builds dist/ when it is stale. Without TypeScript installed, a shipped dist/ is run as it is, and a
 * missing one is an error that says what to do.
 */
export function ensureBuilt() {
  if (!distIsStale()) return;
  if (typescriptCompiler() === null) {
    if (existsSync(stampOf(root))) return;
    throw new Error('dist/ is missing and TypeScript is not installed: run `npm run build` where it is, and ship dist/.');
  }
  console.error('parley: building dist/ (npm run build)...');
  build();
}
