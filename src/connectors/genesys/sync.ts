// One pass of the Genesys Cloud connector for one tenant: for each bot flow, its sessions and its
// reporting turns from the stream's watermark (less the overlap) to now, a day at a time, oldest day
// first, every page written through the same validated, idempotent pipeline as the ingest routes. A
// day's end becomes the stream's watermark once all its pages are committed, so a run that stops (the
// vendor unreachable, the database down) resumes from the last completed day, and the overlap re-reads
// what Genesys published late (replays are `unchanged`, so re-reading is free). Then the journey
// sessions of each configured external contact.
import { VendorResponseError } from '../http.js';
import { databaseNow, type PassOptions, readWindow, storePage, SyncInterrupted } from '../pass.js';
import { advanceWatermark, readWatermark } from '../state.js';
import type { ConnectorName } from '../settings.js';
import type { BotFlowStream, GenesysApi } from './api.js';

export const GENESYS_CONNECTOR = 'genesys' satisfies ConnectorName;

/** Pages are read a day of the vendor's time at a time; the watermark moves a day at a time. */
export const SLICE_MS = 24 * 60 * 60 * 1000;

export interface GenesysSyncOptions extends PassOptions {
  api: GenesysApi;
  /** Bot flows to read; null: every bot flow the Flows API lists. */
  botFlowIds: string[] | null;
  /** External contacts whose journey sessions are read. */
  journeyContactIds: readonly string[];
}

const STREAM_ROUTES = { sessions: 'genesys.botFlowSessions', turns: 'genesys.reportingTurns' } as const;

export function streamName(flowId: string, stream: BotFlowStream): string {
  return `botflow:${flowId}:${stream}`;
}

/** The days [start, end) is read in, oldest first; the last one ends at `end`. */
export function slices(start: Date, end: Date, sliceMs = SLICE_MS): { start: Date; end: Date }[] {
  const out: { start: Date; end: Date }[] = [];
  for (let at = start.getTime(); at < end.getTime(); at += sliceMs) out.push({ start: new Date(at), end: new Date(Math.min(at + sliceMs, end.getTime())) });
  return out;
}

/** Runs one pass; VendorAuthError, VendorUnavailableError and DatabaseUnavailableError end it early. */
export async function syncGenesys(options: GenesysSyncOptions): Promise<void> {
  if (options.signal?.aborted) throw new SyncInterrupted('stopped on request before it began');
  const now = options.now ? options.now() : await databaseNow(options.prisma);
  await options.api.authenticate();
  const flowIds: string[] = [];
  if (options.botFlowIds) flowIds.push(...options.botFlowIds);
  else for await (const flow of options.api.botFlows()) flowIds.push(flow.id);
  for (const flowId of flowIds) {
    if (options.signal?.aborted) throw new SyncInterrupted('stopped on request between two bot flows');
    options.counts.flows += 1;
    for (const stream of ['sessions', 'turns'] as const) await syncStream(options, flowId, stream, now);
  }
  for (const contactId of options.journeyContactIds) {
    if (options.signal?.aborted) throw new SyncInterrupted('stopped on request between two contacts');
    await syncJourneySessions(options, contactId, now);
  }
}

export function journeyStreamName(contactId: string): string {
  return `contact:${contactId}:journeySessions`;
}

/**
 * One contact's journey sessions: the listing has no time window, so every run reads it whole (replays
 * are `unchanged`); the stream's watermark says when it was last read to its end.
 */
async function syncJourneySessions(options: GenesysSyncOptions, contactId: string, now: Date): Promise<void> {
  try {
    for await (const page of options.api.journeySessions(contactId)) {
      if (options.signal?.aborted) throw new SyncInterrupted('stopped on request between two pages');
      await storePage(options, 'genesys.journeySessions', page.url, page.entities);
      options.onPage?.();
    }
  } catch (error) {
    if (!(error instanceof VendorResponseError)) throw error;
    options.counts.badPages += 1;
    options.log(`contact ${contactId} journey sessions: skipped the rest: ${error.url}: ${error.message}`);
    return;
  }
  await advanceWatermark(options.prisma, { tenantId: options.tenantId, connector: GENESYS_CONNECTOR, stream: journeyStreamName(contactId) }, now);
}

async function syncStream(options: GenesysSyncOptions, flowId: string, stream: BotFlowStream, now: Date): Promise<void> {
  const key = { tenantId: options.tenantId, connector: GENESYS_CONNECTOR, stream: streamName(flowId, stream) };
  const watermark = await readWatermark(options.prisma, key);
  const { start, advances } = readWindow(watermark, options.since ?? null, now, options);
  for (const day of slices(start, now)) {
    try {
      for await (const page of options.api.pages(flowId, stream, day.start, day.end)) {
        if (options.signal?.aborted) throw new SyncInterrupted('stopped on request between two pages');
        await storePage(options, STREAM_ROUTES[stream], page.url, page.entities);
        options.onPage?.();
      }
    } catch (error) {
      if (!(error instanceof VendorResponseError)) throw error;
      // The rest of this stream cannot be paged to; its watermark stays before this day, and the next
      // run reads the day again. Other flows and streams go on.
      options.counts.badPages += 1;
      options.log(`bot flow ${flowId} ${stream}: skipped the rest of ${day.start.toISOString()}/${day.end.toISOString()}: ${error.url}: ${error.message}`);
      return;
    }
    if (advances) await advanceWatermark(options.prisma, key, day.end);
  }
}
