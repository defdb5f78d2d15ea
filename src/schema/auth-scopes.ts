// What a request may see, as @pothos/plugin-scope-auth scopes: each rule is written on its field or
// root type (`authScopes`), and this module says what each scope means for the request's API key and
// which error a refusal is.
// - `read` (every query and subscription) and `ingest` (every mutation): the key's scopes. Refused:
//   FORBIDDEN, HTTP 403.
// - `pii`: personal data, as the vendor models mark it (`graphql: { personal: 'always' }`; README,
//   "Personal data"). Refused: the field is null with PII_SCOPE_REQUIRED at its path; a personal member
//   inside a JSON value is null instead (./personal-data.ts); the rest of the response, and every
//   count, is unaffected.
// - `messageText`: message text and what is made of it (`personal: 'text'`), personal only where the
//   tenant marks it so.
// - `admin`: operating Parley (`connectorStatus`). Refused: FORBIDDEN, HTTP 403.
import type { ForbiddenResult } from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Principal } from '../auth/principal.js';

export const PII_SCOPE_REQUIRED = 'PII_SCOPE_REQUIRED';

export interface AuthScopes {
  read: boolean;
  ingest: boolean;
  pii: boolean;
  messageText: boolean;
  admin: boolean;
}

/** The scope map of a field of personal data. */
export const PERSONAL = { pii: true } as const;
/** The scope map of message text and what contains it. */
export const MESSAGE_TEXT = { messageText: true } as const;

/** What the request's key grants. */
export function scopesOf(principal: Principal): AuthScopes {
  const pii = principal.scopes.has('pii');
  return {
    read: principal.scopes.has('read'),
    ingest: principal.scopes.has('ingest'),
    pii,
    messageText: pii || !principal.messageTextIsPii,
    admin: principal.scopes.has('admin'),
  };
}

/** The error a field of personal data answers without the `pii` scope. */
function personalDataError(field: string): GraphQLError {
  return new GraphQLError(`\`${field}\` is personal data: it needs an API key with the \`pii\` scope`, {
    extensions: { code: PII_SCOPE_REQUIRED },
  });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** The scopes a refusal was about (a failure can combine several). */
function failedScopes(failure: ForbiddenResult['failure']): string[] {
  if ('failures' in failure) return failure.failures.flatMap(failedScopes);
  return 'scope' in failure ? [failure.scope] : [];
}

const OPERATION_OF: Record<string, string> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };

/** The coded error of a refused field (scope-auth's `unauthorizedError`). */
export function refusal(info: GraphQLResolveInfo, result: ForbiddenResult): GraphQLError {
  const scopes = failedScopes(result.failure);
  if (scopes.includes('pii') || scopes.includes('messageText')) return personalDataError(`${info.parentType.name}.${info.fieldName}`);
  const needed = scopes[0] ?? 'read';
  const operation = OPERATION_OF[info.parentType.name] ?? 'field';
  return forbidden(`this API key lacks the \`${needed}\` scope needed for a ${operation}`);
}
