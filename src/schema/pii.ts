// Personal data needs the `pii` scope. Without it such a field resolves to null with an error coded
// PII_SCOPE_REQUIRED at its path; everything else in the response (and every count) is unaffected.
import { GraphQLError } from 'graphql';
import type { Context } from './context.js';

export const PII_SCOPE_REQUIRED = 'PII_SCOPE_REQUIRED';

/** The error a field of personal data answers without the `pii` scope. */
export function personalDataError(field: string): GraphQLError {
  return refuse(field);
}

function refuse(field: string): GraphQLError {
  return new GraphQLError(`\`${field}\` is personal data: it needs an API key with the \`pii\` scope`, {
    extensions: { code: PII_SCOPE_REQUIRED },
  });
}

/** For fields that identify a person (journey IP address, customer id, geolocation, user names...). */
export function personal<Parent, Result>(field: string, resolve: (parent: Parent) => Result) {
  return (parent: Parent, _args: unknown, ctx: Context): Result => {
    if (!ctx.auth.scopes.has('pii')) throw refuse(field);
    return resolve(parent);
  };
}

/** For message text and what contains it: personal data only where the tenant has marked it so. */
export function personalText<Parent, Result>(field: string, resolve: (parent: Parent, args: unknown, ctx: Context) => Result) {
  return (parent: Parent, args: unknown, ctx: Context): Result => {
    if (ctx.auth.messageTextIsPii && !ctx.auth.scopes.has('pii')) throw refuse(field);
    return resolve(parent, args, ctx);
  };
}
