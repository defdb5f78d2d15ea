// One pass of the Salesforce connector for one tenant: the org's `ConversationDefinitionSession` records
// changed since the stream's watermark (less the overlap), oldest change first, a batch at a time, each
// record written as an Einstein Bot session through the same validated, idempotent pipeline as the ingest
// routes. `SystemModstamp` orders the read and is the watermark: a record Salesforce changes later (the
// session ends, its transfer result arrives) is read again and updates its session. After each committed
// batch the watermark moves to the newest change in it, so a run that stops resumes after it.
import { VendorResponseError } from '../http.js';
import { databaseNow, type PassOptions, readWindow, storePage, SyncInterrupted } from '../pass.js';
import type { ConnectorName } from '../settings.js';
import { advanceWatermark, readWatermark } from '../state.js';
import { soqlDateTime, soqlString, type SalesforceApi } from './api.js';
import { recordFields, salesforceDate, sessionOfRecord } from './record.js';

export const SALESFORCE_CONNECTOR = 'salesforce' satisfies ConnectorName;
export const SESSION_OBJECT = 'ConversationDefinitionSession';
/** The stream's name in ConnectorState and `connectorStatus`. */
export const SESSION_STREAM = 'conversationDefinitionSession';

/** What the pass needs of the record, whatever else the org's describe lists. */
const REQUIRED_FIELDS = ['Id', 'SystemModstamp'];

export interface SalesforceSyncOptions extends PassOptions {
  api: SalesforceApi;
  /** `ChannelType` values not read (the channel the recording proxy records). */
  skipChannelTypes: readonly string[];
}

/** The SOQL of one pass: every field, changed since `from`, oldest change first (ties by id, so batches are stable). */
export function sessionQuery(fields: readonly string[], from: Date, skipChannelTypes: readonly string[]): string {
  const where = [`SystemModstamp >= ${soqlDateTime(from)}`];
  if (skipChannelTypes.length > 0 && fields.includes('ChannelType')) where.push(`ChannelType NOT IN (${skipChannelTypes.map(soqlString).join(', ')})`);
  return `SELECT ${fields.join(', ')} FROM ${SESSION_OBJECT} WHERE ${where.join(' AND ')} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** Runs one pass; VendorAuthError, VendorUnavailableError and DatabaseUnavailableError end it early. */
export async function syncSalesforce(options: SalesforceSyncOptions): Promise<void> {
  if (options.signal?.aborted) throw new SyncInterrupted('stopped on request before it began');
  const now = options.now ? options.now() : await databaseNow(options.prisma);
  await options.api.authenticate();
  const key = { tenantId: options.tenantId, connector: SALESFORCE_CONNECTOR, stream: SESSION_STREAM };
  const watermark = await readWatermark(options.prisma, key);
  const { start, advances } = readWindow(watermark, options.since ?? null, now, options);
  const botIds = new Map<string, string>();
  let url = `describe ${SESSION_OBJECT}`;
  try {
    const fields = await options.api.fieldNames(SESSION_OBJECT);
    const missing = REQUIRED_FIELDS.filter((f) => !fields.includes(f));
    if (missing.length > 0) throw new VendorResponseError(`${SESSION_OBJECT} has no ${missing.join(', ')} field in this org`, url);
    for await (const page of options.api.query(sessionQuery(fields, start, options.skipChannelTypes))) {
      if (options.signal?.aborted) throw new SyncInterrupted('stopped on request between two batches');
      url = page.url;
      await resolveBots(options.api, page.records, botIds);
      await storePage(
        options,
        'einstein.sessions',
        page.url,
        page.records.map((record) => sessionOfRecord(record, botIds)),
      );
      const newest = newestChange(page.records);
      if (advances && newest !== null) await advanceWatermark(options.prisma, key, newest);
      options.onPage?.();
    }
  } catch (error) {
    if (!(error instanceof VendorResponseError)) throw error;
    // The query cannot go on: its watermark stays after the last committed batch, read again next run.
    options.counts.badPages += 1;
    options.log(`salesforce ${SESSION_OBJECT}: stopped at ${error.url}: ${error.message}`);
    return;
  }
  // Every change up to now has been read (on the database's clock; the overlap covers Salesforce's clock
  // running behind it and records committed late).
  if (advances) await advanceWatermark(options.prisma, key, now);
}

/** Looks up the bot of each bot version the batch names that is not known yet (one query per batch at most). */
async function resolveBots(api: SalesforceApi, records: readonly Record<string, unknown>[], botIds: Map<string, string>): Promise<void> {
  const unknown = new Set<string>();
  for (const record of records) {
    const version = recordFields(record).ConversationDefinitionId;
    if (typeof version === 'string' && version !== '' && !botIds.has(version)) unknown.add(version);
  }
  if (unknown.size === 0) return;
  const soql = `SELECT Id, BotDefinitionId FROM BotVersion WHERE Id IN (${[...unknown].map(soqlString).join(', ')})`;
  for await (const page of api.query(soql)) {
    for (const row of page.records) {
      if (typeof row.Id === 'string' && typeof row.BotDefinitionId === 'string') botIds.set(row.Id, row.BotDefinitionId);
    }
  }
}

function newestChange(records: readonly Record<string, unknown>[]): Date | null {
  let newest: Date | null = null;
  for (const record of records) {
    const at = salesforceDate(record.SystemModstamp);
    if (at !== null && (newest === null || at > newest)) newest = at;
  }
  return newest;
}
