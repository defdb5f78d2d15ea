// Printing a compact table, and writing bench/results/<YYYY-MM-DD>.json.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Cell = string | number;

const format = (cell: Cell) => (typeof cell === 'number' ? cell.toLocaleString('en-US') : cell);

export interface Column {
  header: string;
  /** Numbers are right-aligned by default, text left-aligned. */
  align?: 'left' | 'right';
}

/** A plain-text table; numbers get thousands separators. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((row) => columns.map((_, c) => format(row[c] ?? '')));
  const align = columns.map((column, c) => column.align ?? (rows.some((row) => typeof row[c] === 'number') ? 'right' : 'left'));
  const widths = columns.map((column, c) => Math.max(column.header.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const resultsDir = path.resolve(import.meta.dirname, '../results');

/** Local calendar date, YYYY-MM-DD. */
export function today(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export interface ResultFile {
  date: string;
  runs: unknown[];
  [key: string]: unknown;
}

/**
 * Adds `run` to bench/results/<date>.json (a day's runs accumulate: running one suite after another,
 * or rerunning, never loses earlier figures). Written to a temporary file and renamed into place.
 */
export async function appendResult(run: Record<string, unknown>, date = today(), dir = resultsDir): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${date}.json`);
  let existing: ResultFile = { date, runs: [] };
  let target = file;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ResultFile>;
    if (!Array.isArray(parsed.runs)) throw new SyntaxError('no "runs" array');
    existing = { ...parsed, date, runs: parsed.runs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      // Never lose a run's figures to a file someone edited by hand: write them next to it instead.
      target = path.join(dir, `${date}.${String(Date.now())}.json`);
      console.error(`bench: ${file} is not a results file (${(error as Error).message}); writing ${target} instead`);
    }
  }
  existing.runs.push(run);
  const tmp = `${target}.${String(process.pid)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(existing, null, 2)}\n`);
  await rename(tmp, target);
  return target;
}
