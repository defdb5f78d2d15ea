// How the end-to-end tests start Parley's processes: as users do, the compiled build (`npm start` and
// the CLIs run dist/ through scripts/run.mjs), which the tests' global setup builds when it is stale.
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

/** Node arguments that run a compiled entry point (`main`, `cli/keys`, `cli/import`) with `args`. */
export function entryArgs(entry: string, ...args: string[]): string[] {
  return [path.join(root, 'dist', `${entry}.js`), ...args];
}
