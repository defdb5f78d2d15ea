/** The project's root directory. */
export const root: string;
/** Whether dist/ is missing, or older than src/ or the build's settings. */
export function distIsStale(): boolean;
/** Builds dist/ when it is stale; throws with what to do when it cannot (no TypeScript installed). */
export function ensureBuilt(): void;
