// Progress on stderr, so stdout carries only the summary. A terminal gets one line redrawn in place; a
// pipe or CI log gets a plain line every few seconds, since carriage returns would fill it with noise.

export interface ProgressState {
  /** Work done and total, in bytes (NDJSON) or items (JSON). */
  done: number;
  total: number;
  unit: 'bytes' | 'items';
  /** Items read so far, earlier runs included. */
  items: number;
  /** Items read by this run (the rate and ETA are this run's). */
  itemsThisRun: number;
  /** `done` when this run started (a resumed run starts part-way). */
  doneAtStart: number;
  rejected: number;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  tty: boolean;
  /** How often a plain (non-TTY) line is written. */
  plainIntervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** `committed`: a chunk has just committed (a plain log's first line waits for one). */
  update(state: ProgressState, committed?: boolean): void;
  /** A message line that must not be garbled by the bar. */
  log(message: string): void;
  /** Clears the bar; the summary follows on stdout. */
  stop(): void;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]!}`;
}

/** Rate and ETA over this run: what is left, at the pace this run has kept so far. */
export function rates(state: ProgressState, elapsedMs: number): { itemsPerSecond: number; etaMs: number } {
  const seconds = elapsedMs / 1000;
  const itemsPerSecond = seconds > 0 ? state.itemsThisRun / seconds : 0;
  const doneThisRun = state.done - state.doneAtStart;
  const etaMs = doneThisRun > 0 ? ((state.total - state.done) * elapsedMs) / doneThisRun : Number.NaN;
  return { itemsPerSecond, etaMs };
}

export function progressLine(state: ProgressState, elapsedMs: number, width?: number): string {
  const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 1;
  const percent = `${(fraction * 100).toFixed(1).padStart(5)}%`;
  const { itemsPerSecond, etaMs } = rates(state, elapsedMs);
  const of = state.unit === 'bytes' ? `${formatBytes(state.done)}/${formatBytes(state.total)}` : `${state.done}/${state.total}`;
  const text = `${percent} ${of}  ${state.items} items  ${Math.round(itemsPerSecond)} items/s  ETA ${formatDuration(etaMs)}  ${state.rejected} rejected`;
  if (width === undefined) return text;
  // A fixed width while it fits, so the bar does not jump as the numbers grow.
  const barWidth = Math.max(10, Math.min(24, width - text.length - 8));
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${text}`.slice(0, Math.max(0, width - 1));
}

export function createProgress(options: ProgressOptions): Progress {
  const { stream, tty } = options;
  const now = options.now ?? Date.now;
  const plainIntervalMs = options.plainIntervalMs ?? 5000;
  const started = now();
  let last: ProgressState | null = null;
  let lastDrawn = 0;
  let lastPlain: number | null = null;
  let drawn = false;

  const clear = () => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    if (!last) return;
    const elapsed = now() - started;
    if (tty) {
      stream.write(`\r\x1b[2K${progressLine(last, elapsed, stream.columns || 100)}`);
      drawn = true;
    } else {
      stream.write(`progress: ${progressLine(last, elapsed)}\n`);
    }
  };

  return {
    update(state, committed = false) {
      last = state;
      const t = now();
      if (tty) {
        // At most ten redraws a second: redrawing on every chunk would cost more than the chunk.
        if (t - lastDrawn >= 100) {
          lastDrawn = t;
          draw();
        }
        return;
      }
      // The first line once a chunk is stored (the import demonstrably works), then every few seconds.
      if (lastPlain === null ? committed : t - lastPlain >= plainIntervalMs) {
        lastPlain = t;
        draw();
      }
    },
    log(message) {
      clear();
      stream.write(`${message}\n`);
      if (tty) draw();
    },
    stop() {
      clear();
    },
  };
}
