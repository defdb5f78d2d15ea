// The persisted operations file: `{ "<sha256 hex>": "<document>" }`, read once at start-up (../config.ts)
// and checked entry by entry. What the gateway does with it: ./persisted.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type PersistedOperations = ReadonlyMap<string, string>;

export function operationHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** Reads `{ "<sha256 hex>": "<document>" }`; throws with a readable reason when the file is wrong. */
export function loadPersistedOperations(path: string): PersistedOperations {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read persisted operations from ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`persisted operations file ${path} must be a JSON object of "<sha256>": "<document>"`);
  }
  const store = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || operationHash(document) !== hash) {
      throw new Error(`persisted operations file ${path}: the entry "${hash}" is not the SHA-256 of its document`);
    }
    store.set(hash, document);
  }
  return store;
}
