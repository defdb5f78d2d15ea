// Wall-clock timing and the machine facts a result file records next to its figures.
import os from 'node:os';

/** Milliseconds since an arbitrary origin, sub-millisecond precise. */
export const now = (): number => performance.now();

/** Runs `work` and returns its result with the wall time it took, in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = now();
  const result = await work();
  return { result, ms: now() - start };
}

/** Items per second, rounded to a whole number. */
export const perSecond = (items: number, ms: number): number => (ms > 0 ? Math.round((items * 1000) / ms) : 0);

export interface MachineInfo {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemoryGiB: number;
  hostname: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews figures. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    hostname: os.hostname(),
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
