// botMetricsUpdated, shared: subscribers with equal arguments (the same tenant, filter, grouping,
// interval, zone and figures asked for) share one feed, which recounts the figures once per change — at
// most once a second, in its tenant's turn (../security/tenant-work.ts: a tenant's recounts run one at
// a time on a process) — instead of once per subscriber. Each subscriber keeps its own hub subscription
// (so the per-key and per-tenant limits and its key's access apply to it as to any other), whose
// updates only mark the feed as changed; its payloads are the buckets whose figures differ from what
// it was last sent (every bucket first; a bucket whose last session left it comes with zeros).
import { type BotMetricsBucket, emptied } from '../analytics/bot-metrics.js';
import { TenantBusyError, type TenantWork } from '../security/tenant-work.js';
import type { LiveStream } from './hub.js';

/** At most one recount, and so one payload per subscriber, a second. */
export const METRICS_THROTTLE_MS = 1000;

interface Figures {
  bucket: BotMetricsBucket;
  /** The bucket's figures as one string: equal strings, equal figures. */
  figures: string;
}

type Snapshot = ReadonlyMap<string, Figures>;

/** One subscriber: what it was last sent, and a way to be told the feed has something newer. */
interface Member {
  sent: Snapshot | null;
  wake: (() => void) | null;
}

class MetricsFeed {
  private readonly members = new Set<Member>();
  private latest: Snapshot | null = null;
  private failure: Error | null = null;
  private dirty = true;
  private recountedAt = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly tenantId: string,
    private readonly recount: () => Promise<BotMetricsBucket[]>,
    private readonly work: TenantWork | undefined,
    private readonly onEmpty: () => void,
    /** Recounts so far (tests). */
    readonly counted: { recounts: number },
  ) {}

  get size(): number {
    return this.members.size;
  }

  add(member: Member): void {
    this.members.add(member);
    this.schedule();
  }

  remove(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.onEmpty();
    }
  }

  /** A session the figures may count has changed. */
  mark(): void {
    this.dirty = true;
    this.schedule();
  }

  /** The buckets `member` has not been sent in their current form; null when there is nothing new yet. */
  changesFor(member: Member): BotMetricsBucket[] | null {
    if (this.failure) throw this.failure;
    const latest = this.latest;
    if (latest === null || latest === member.sent) return null;
    const sent = member.sent;
    member.sent = latest;
    if (sent === null) return [...latest.values()].map((f) => f.bucket);
    const changed = [...latest.values()].filter((f) => sent.get(f.bucket.key)?.figures !== f.figures).map((f) => f.bucket);
    for (const [key, { bucket }] of sent) if (!latest.has(key)) changed.push(emptied(bucket));
    return changed;
  }

  /** A recount once there is a change, a second after the last one at the earliest. */
  private schedule(): void {
    if (!this.dirty || this.running || this.timer || this.members.size === 0) return;
    const wait = Math.max(0, this.recountedAt + METRICS_THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, wait);
  }

  private async run(): Promise<void> {
    if (this.members.size === 0) return;
    this.running = true;
    this.dirty = false;
    try {
      const buckets = await (this.work ? this.work.run(this.tenantId, 1, this.recount) : this.recount());
      this.counted.recounts += 1;
      this.latest = new Map(buckets.map((bucket) => [bucket.key, { bucket, figures: JSON.stringify(bucket) }]));
    } catch (error) {
      // The tenant's recounts are queued past their bounds: not this feed's failure; try again later.
      if (error instanceof TenantBusyError) this.dirty = true;
      else {
        this.failure = error instanceof Error ? error : new Error(String(error));
        // Its members end with the failure; a subscriber that comes next gets a feed of its own.
        this.onEmpty();
      }
    } finally {
      this.recountedAt = Date.now();
      this.running = false;
    }
    for (const member of this.members) member.wake?.();
    if (!this.failure) this.schedule();
  }
}

/** The feeds of one gateway process, by their arguments; a feed lives while it has subscribers. */
export class MetricsFeeds {
  private readonly feeds = new Map<string, MetricsFeed>();
  /** Recounts made so far, over every feed (tests: equal subscriptions recount once). */
  readonly counted = { recounts: 0 };

  constructor(private readonly work?: TenantWork) {}

  /** Feeds with subscribers. */
  get size(): number {
    return this.feeds.size;
  }

  /**
   * A subscriber of the feed `key` (its tenant's, with its arguments), whose hub subscription `stream`
   * tells it of changes; `recount` computes the figures (any subscriber's does: theirs are equal).
   */
  subscribe(key: string, tenantId: string, recount: () => Promise<BotMetricsBucket[]>, stream: LiveStream): AsyncIterableIterator<BotMetricsBucket[]> {
    const feedKey = `${tenantId}\u0000${key}`;
    let feed = this.feeds.get(feedKey);
    if (!feed) {
      const created = new MetricsFeed(
        tenantId,
        recount,
        this.work,
        () => {
          if (this.feeds.get(feedKey) === created) this.feeds.delete(feedKey);
        },
        this.counted,
      );
      this.feeds.set(feedKey, created);
      feed = created;
    }
    return new MetricsSubscriber(feed, stream);
  }
}

/** One subscriber's payloads, as the transports read them. */
class MetricsSubscriber implements AsyncIterableIterator<BotMetricsBucket[]> {
  readonly #member: Member = { sent: null, wake: null };
  #ended = false;
  #failure: Error | null = null;

  constructor(
    private readonly feed: MetricsFeed,
    private readonly stream: LiveStream,
  ) {
    feed.add(this.#member);
    // The hub's updates are only noted as they come (piped, never queued): a busy tenant cannot make
    // this subscriber slow.
    stream.pipe({
      update: () => feed.mark(),
      end: (error) => {
        this.#failure = error ?? null;
        this.#end();
      },
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<BotMetricsBucket[]>> {
    for (;;) {
      if (this.#ended) return this.#finish();
      const first = this.#member.sent === null;
      let changes: BotMetricsBucket[] | null;
      try {
        changes = this.feed.changesFor(this.#member);
      } catch (error) {
        // The subscription ends with the recount's error: its hub subscription goes with it.
        await this.return();
        throw error;
      }
      // Every bucket first (even none); then only when some figures changed.
      if (changes !== null && (first || changes.length > 0)) return { value: changes, done: false };
      await new Promise<void>((resolve) => {
        this.#member.wake = resolve;
      });
      this.#member.wake = null;
    }
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.feed.remove(this.#member);
    this.#member.wake?.();
  }

  #finish(): IteratorResult<BotMetricsBucket[]> {
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = null;
      throw failure;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<BotMetricsBucket[]>> {
    this.#end();
    await this.stream.return?.();
    return { value: undefined, done: true };
  }
}
