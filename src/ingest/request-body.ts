// A request body streamed in as it arrives (NDJSON uploads), that can be read to its end after the
// answer is decided. Reading stops early when the pipeline stops (an outage mid-upload); a reader that
// stops would normally cancel the stream, which destroys the request and resets the connection under a
// client still sending — so the answer (503 with Retry-After) never reaches it. Here stopping releases
// nothing, and `drain` reads and drops the rest, within bounds, before the answer is sent.

/** Reading the rest of a body stops after this many bytes or this long; the connection then closes. */
export const DRAIN_LIMITS = { bytes: 64 * 1024 * 1024, ms: 10_000 };

export class RequestBody {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;
  private done = false;

  constructor(stream: ReadableStream<Uint8Array> | null) {
    this.reader = stream?.getReader() ?? null;
    if (this.reader === null) this.done = true;
  }

  /** The body's chunks; leaving the loop early leaves the rest unread (see `drain`). */
  async *chunks(): AsyncGenerator<Uint8Array> {
    while (!this.done) {
      const next = await this.reader!.read();
      if (next.done) {
        this.done = true;
        return;
      }
      yield next.value;
    }
  }

  /** Reads the rest and drops it; true when the body was read to its end within `limits`. */
  async drain(limits = DRAIN_LIMITS): Promise<boolean> {
    if (this.done) return true;
    const deadline = Date.now() + limits.ms;
    let bytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limits.ms);
    });
    try {
      while (bytes <= limits.bytes && Date.now() < deadline) {
        const next = await Promise.race([this.reader!.read(), timeout]);
        if (next === 'timeout') break;
        if (next.done) {
          this.done = true;
          return true;
        }
        bytes += next.value.byteLength;
      }
    } catch {
      // The client went away meanwhile: nobody is left to answer.
    } finally {
      clearTimeout(timer);
    }
    return false;
  }
}
