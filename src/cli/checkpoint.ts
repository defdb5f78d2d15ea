// Where an interrupted import stands, saved beside the file after every committed chunk. It only ever
// names items whose chunk has committed, so resuming from it never skips an item; at worst (a crash
// between commit and save) the last chunk is replayed, which the idempotent ingest turns into
// `unchanged` rather than duplicates.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Rejection } from '../ingest/types.js';
import type { ImportVendor } from './options.js';

/** The counts of an import; `rejected` lists at most MAX_CHECKPOINT_REJECTIONS of them. */
export interface ImportTotals {
  /** Items read, rejected ones included (NDJSON blank lines are not items). */
  items: number;
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  rejected: Rejection[];
}

export const MAX_CHECKPOINT_REJECTIONS = 20;

export interface Checkpoint {
  version: 1;
  /** Absolute path when saved; informational (a moved file with its checkpoint still resumes). */
  file: string;
  size: number;
  mtimeMs: number;
  vendor: ImportVendor;
  /** NDJSON: the byte offset just after the last committed item's line. JSON: 0. */
  offset: number;
  /** Index of the first item not yet committed. */
  nextIndex: number;
  totals: ImportTotals;
  /** Time spent by earlier runs, so the final rate covers the whole import. */
  elapsedMs: number;
  savedAt: string;
}

export function checkpointPath(file: string): string {
  return `${file}.parley-import.json`;
}

export function emptyTotals(): ImportTotals {
  return { items: 0, created: 0, updated: 0, unchanged: 0, rejectedCount: 0, rejected: [] };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** A checkpoint file as found, or null when there is none or it is not one of ours (it is then ignored). */
export async function readCheckpoint(path: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<Checkpoint> | null;
    const totals = value?.totals;
    if (
      value?.version !== 1 ||
      !isNumber(value.size) ||
      !isNumber(value.mtimeMs) ||
      typeof value.vendor !== 'string' ||
      !isNumber(value.offset) ||
      !isNumber(value.nextIndex) ||
      !isNumber(value.elapsedMs) ||
      !totals ||
      ![totals.items, totals.created, totals.updated, totals.unchanged, totals.rejectedCount].every(isNumber) ||
      !Array.isArray(totals.rejected)
    ) {
      return null;
    }
    return value as Checkpoint;
  } catch {
    return null;
  }
}

/** Why a checkpoint does not belong to this file and vendor, or null when it does. */
export function checkpointMismatch(checkpoint: Checkpoint, file: { size: number; mtimeMs: number }, vendor: ImportVendor): string | null {
  if (checkpoint.vendor !== vendor) return `it was saved for --vendor ${checkpoint.vendor}`;
  if (checkpoint.size !== file.size || checkpoint.mtimeMs !== file.mtimeMs) return 'the file has changed since';
  if (checkpoint.offset > file.size) return 'it points past the end of the file';
  return null;
}

/** Write-then-rename, so a crash mid-save leaves the previous checkpoint, never half of one. */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(checkpoint, null, 2)}\n`);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function deleteCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
