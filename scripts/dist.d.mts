/** The project's root directory. */
export const root: string;
/** Whether `dir`'s dist/ (the project's by default) is missing, or older than its src/ or the build's settings. */
export function distIsStale(dir?: string): boolean;
/** Builds dist/ when it is stale (without TypeScript installed, runs a shipped dist/ as it is); throws when there is none. */
export function ensureBuilt(): void;
/** Builds dist/ (`npm run build`); throws when the build fails, and then dist/ counts as stale. */
export function build(): void;
