// A vendor model's personal-data rules (../vendors/personal-data.ts) as the graph applies them, on every
// path that reads a stored document:
// - a typed field of a personal member carries the member's rule as its scope rule (./auth-scopes.ts):
//   without the scope it is null, with PII_SCOPE_REQUIRED at its path;
// - a JSON-valued field (a vendor document or a free-form member) is its value with each personal
//   member inside replaced by null when the request lacks that member's scope: the value itself is
//   not personal, so it answers, without an error; counts and aggregations never read through here.
// Subscriptions execute the same resolvers, so their payloads follow the same rules.
import type { TSchema } from '@sinclair/typebox';
import { personalRule, withhold, withholdPlan, type PersonalRule } from '../vendors/personal-data.js';
import { MESSAGE_TEXT, PERSONAL, scopesOf } from './auth-scopes.js';
import type { Context } from './context.js';

/** A personal member's scope rule, for its field's `authScopes`; nothing for a member that is not personal. */
export function personalScopes(schema: TSchema): { authScopes?: typeof PERSONAL | typeof MESSAGE_TEXT } {
  const rule = personalRule(schema);
  if (rule === 'always') return { authScopes: PERSONAL };
  if (rule === 'text') return { authScopes: MESSAGE_TEXT };
  return {};
}

const RULE_NOTE: Record<PersonalRule, string> = {
  always: 'Personal data: needs the `pii` scope.',
  text: 'Personal data where the tenant marks message text so (then it needs the `pii` scope).',
};

/** A field's description with what its member's rule means for a client. */
export function withPersonalNote(description: string, schema: TSchema): string {
  const rule = personalRule(schema);
  return rule === undefined ? description : `${description} ${RULE_NOTE[rule]}`;
}

/** `value`, a document or member of `schema`, as this request may see it (see above). */
export function withheldFor(ctx: Context, value: unknown, schema: TSchema): unknown {
  const plan = withholdPlan(schema);
  if (plan === null) return value;
  const scopes = scopesOf(ctx.auth);
  if (scopes.pii) return value;
  return withhold(value, plan, (rule) => (rule === 'always' ? scopes.pii : scopes.messageText));
}
