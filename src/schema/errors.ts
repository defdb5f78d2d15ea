// Every error a client can cause carries a stable code in `extensions.code`; these are documented in README.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** A global id that is not base64 of `Type:id`, or names a type that has no nodes. */
  BAD_ID: 'BAD_ID',
  /** Nothing with this id or key (or not visible to the caller). */
  NOT_FOUND: 'NOT_FOUND',
  /** A cursor that was not issued by this connection with this ordering. */
  BAD_CURSOR: 'BAD_CURSOR',
  /** Paging arguments that cannot be honoured together (first with last, negatives, ...). */
  BAD_PAGING: 'BAD_PAGING',
  /** `first`/`last` over the maximum page size. */
  PAGE_SIZE_EXCEEDED: 'PAGE_SIZE_EXCEEDED',
  /** Any other argument that is wrong on its own terms (an empty filter list, a bad date range...). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function userError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details } });
}
