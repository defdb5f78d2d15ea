// What PostgreSQL can hold, for the checks that run before a statement is sent. A value outside these
// makes the statement itself fail (SQLSTATE 22021 for a NUL byte, 22P05 for a NUL or an unpaired
// surrogate in jsonb, 22008 for a date out of range, 22003 for an integer past its column), and a
// failed statement is no way to tell a caller that its input was wrong: the input is refused first.

// With the `u` flag a paired surrogate is one code point, so this only matches an unpaired half.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored in a text or jsonb column (nor compared with one), or null when it can. */
export function stringProblem(value: string): string | null {
  // PostgreSQL text and jsonb cannot hold U+0000, and jsonb refuses unpaired surrogates (JSON.parse and
  // GraphQL variables produce both from "\u0000" and "\ud800"); a text parameter would silently become
  // U+FFFD instead, matching nothing that was stored.
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains an unpaired surrogate)';
  return null;
}

/** PostgreSQL `integer` (int4). */
export const INT4_MIN = -(2 ** 31);
export const INT4_MAX = 2 ** 31 - 1;

/** PostgreSQL `bigint` (int8). */
export const INT8_MIN = -(2n ** 63n);
export const INT8_MAX = 2n ** 63n - 1n;

export const isInt4 = (value: number): boolean => Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX;
export const isInt8 = (value: bigint): boolean => value >= INT8_MIN && value <= INT8_MAX;

/**
 * The instants a JavaScript Date can carry to a `timestamptz` parameter: years 1 to 9999 in UTC. A Date
 * goes to the database as its ISO string, and ISO year 0000 (1 BC, which PostgreSQL spells "0001 BC")
 * and the six-digit years past 9999 are refused by PostgreSQL's parser.
 */
export const MIN_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const MAX_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');
export const TIMESTAMP_RANGE = 'between 0001-01-01 and 9999-12-31 (UTC)';

export function isStorableDate(date: Date): boolean {
  const ms = date.getTime();
  return Number.isFinite(ms) && ms >= MIN_TIMESTAMP_MS && ms <= MAX_TIMESTAMP_MS;
}
