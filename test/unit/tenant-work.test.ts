// A tenant's work in flight is bounded by its share, waits in its own queue in order, and never in
// another tenant's: the property the noisy-neighbour guarantees rest on.
import { describe, expect, it } from 'vitest';
import { TenantBusyError, TenantWork } from '../../src/security/tenant-work.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('TenantWork', () => {
  it("runs a tenant's work up to its capacity, the rest in order as room frees, and another tenant's at once", async () => {
    const work = new TenantWork('query work', { capacity: 10, maxQueued: 10, maxWaitMs: 5_000 });
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (tenant: string, name: string, units: number) => {
      const gate = deferred();
      gates.set(name, gate);
      return work.run(tenant, units, async () => {
        started.push(name);
        await gate.promise;
        return name;
      });
    };
    const a1 = task('a', 'a1', 6);
    const a2 = task('a', 'a2', 6); // does not fit beside a1
    const a3 = task('a', 'a3', 1); // fits, but waits its turn behind a2
    const b1 = task('b', 'b1', 10); // another tenant: not behind a's queue
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a1', 'b1']);
    expect(work.running('a')).toBe(6);
    expect(work.waiting('a')).toBe(2);
    gates.get('a1')!.resolve();
    await a1;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
    for (const name of ['a2', 'a3', 'b1']) gates.get(name)!.resolve();
    expect(await Promise.all([a2, a3, b1])).toEqual(['a2', 'a3', 'b1']);
    expect(work.running('a')).toBe(0);
    expect(work.running('b')).toBe(0);
  });

  it('counts a task over the whole capacity as the whole capacity, so it still runs alone', async () => {
    const work = new TenantWork('query work', { capacity: 10, maxQueued: 10, maxWaitMs: 5_000 });
    expect(await work.run('a', 1_000_000, async () => work.running('a'))).toBe(10);
  });

  it('refuses work past the queue length at once, and past the waiting time, with TenantBusyError', async () => {
    const work = new TenantWork('live executions', { capacity: 1, maxQueued: 1, maxWaitMs: 50 });
    const gate = deferred();
    const running = work.run('a', 1, () => gate.promise);
    const waiting = work.run('a', 1, async () => 'ran');
    await expect(work.run('a', 1, async () => 'never')).rejects.toBeInstanceOf(TenantBusyError);
    const refused = await waiting.catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TenantBusyError);
    expect((refused as TenantBusyError).retryAfterSeconds).toBe(1);
    expect((refused as TenantBusyError).message).toMatch(/live executions/);
    // Another tenant is not touched by a's queue.
    expect(await work.run('b', 1, async () => 'b ran')).toBe('b ran');
    gate.resolve();
    await running;
    expect(await work.run('a', 1, async () => 'a again')).toBe('a again');
  });

  it('gives the units back once, even when the task fails', async () => {
    const work = new TenantWork('ingest chunks', { capacity: 1, maxQueued: 0, maxWaitMs: 50 });
    await expect(work.run('a', 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const leave = await work.enter('a', 1);
    leave();
    leave();
    expect(work.running('a')).toBe(0);
  });
});

describe('TenantWork with a time budget', () => {
  const busy = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  it("lets a tenant's tasks be busy at most its milliseconds per second on average, and another tenant's run meanwhile", async () => {
    // 100 ms of busy time a second, 100 ms at once: a tenant running 20-ms tasks back to back gets ~5 a second.
    const work = new TenantWork('live executions', { capacity: 1, maxQueued: 1000, maxWaitMs: 30_000, time: { msPerSecond: 100, burstMs: 100 } });
    const started = performance.now();
    const finished: number[] = [];
    const tasks = Array.from({ length: 10 }, () => work.run('a', 1, () => busy(20)).then(() => finished.push(performance.now() - started)));
    // Meanwhile b's single task does not wait for a's budget.
    await busy(30);
    const before = performance.now();
    await work.run('b', 1, () => busy(5));
    expect(performance.now() - before).toBeLessThan(100);
    await Promise.all(tasks);
    // 10 × 20 ms = 200 ms of work: the first 100 ms from the burst, the rest at 100 ms per second — less
    // the last task's own 20 ms, which may start on the last token: at least 800 ms in all.
    expect(finished.at(-1)!).toBeGreaterThan(750);
    expect(finished.at(-1)!).toBeLessThan(3000);
  });
});

describe('TenantWork debt', () => {
  it('charges a long task at most a burst, so a wait on a slow database delays the next task by a burst at most', async () => {
    const work = new TenantWork('query work', { capacity: 1, maxQueued: 10, maxWaitMs: 30_000, time: { msPerSecond: 1000, burstMs: 100 } });
    await work.run('a', 1, () => new Promise((resolve) => setTimeout(resolve, 600)));
    // Uncapped, the debt (about -500 ms) would hold the next task for half a second; capped, 100 ms.
    const before = performance.now();
    await work.run('a', 1, async () => {});
    expect(performance.now() - before).toBeLessThan(300);
  });
});
