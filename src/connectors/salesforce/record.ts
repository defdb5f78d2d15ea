// A Salesforce `ConversationDefinitionSession` record as an Einstein Bot session document, the shape the
// `einstein.sessions` ingest route stores (../../vendors/einstein/model.ts): the record is kept whole under
// `conversationDefinitionSession`, and the session's own fields are derived from it. The record's id is
// the session's id: Salesforce keeps no link from it to a Bot Runtime API session id, so a session that
// went through the recording proxy and was also pulled would be two sessions (SALESFORCE_SKIP_CHANNEL_TYPES
// keeps the proxy's channel out of the pull).
import type { ConversationDefinitionSessionRecord, EinsteinBotSession } from '../../vendors/einstein/model.js';
import { recordEndOutcome } from '../../vendors/einstein/normalize.js';

/** Salesforce's date-time (`2024-05-01T09:30:00.000+0000`) as ISO 8601 (`...+00:00`); null when it is none. */
export function salesforceDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const at = new Date(iso);
  return /^\d{4}-\d{2}-\d{2}T/.test(iso) && !Number.isNaN(at.getTime()) ? at : null;
}

/** The record without the REST API's `attributes` envelope (type and URL of the record, not a field). */
export function recordFields(record: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}

/**
 * The Einstein session document for a record; `botIds` maps bot version ids (`ConversationDefinitionId`)
 * to their bot (`BotVersion.BotDefinitionId`). Values the model does not type are left for its
 * validation to report with their path.
 */
export function sessionOfRecord(record: Record<string, unknown>, botIds: ReadonlyMap<string, string>): Record<string, unknown> {
  const fields = recordFields(record);
  const typed = fields as ConversationDefinitionSessionRecord;
  const start = salesforceDate(fields.SessionStartTime) ?? salesforceDate(fields.CreatedDate);
  const duration = typeof fields.SessionDuration === 'number' && fields.SessionDuration >= 0 ? fields.SessionDuration : null;
  const outcome = recordEndOutcome(typed);
  const ended = outcome !== null || duration !== null;
  const lastActive = start !== null && duration !== null ? new Date(start.getTime() + duration) : salesforceDate(fields.LastModifiedDate);
  const versionId = typeof fields.ConversationDefinitionId === 'string' ? fields.ConversationDefinitionId : null;
  const botId = versionId === null ? undefined : botIds.get(versionId);
  const document: EinsteinBotSession & Record<string, unknown> = {
    ...(typeof fields.Id === 'string' ? { sessionId: fields.Id } : {}),
    ...(botId === undefined ? {} : { botId }),
    ...(versionId === null ? {} : { botVersion: versionId }),
    status: outcome === 'ESCALATED' ? 'Transferred' : ended ? 'Ended' : 'Active',
    sessionEnded: ended,
    ...(start === null ? {} : { createdDate: start.toISOString() }),
    ...(lastActive === null ? {} : { lastActiveDate: lastActive.toISOString() }),
    conversationDefinitionSession: fields,
  };
  return document;
}
