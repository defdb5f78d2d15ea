// `node` and `nodes` answer an id that names nothing with a coded NOT_FOUND error instead of a bare
// null, the way GitHub's API does: clients learn why, and the rest of the query still resolves.
// (Malformed ids never get here: decodeGlobalId rejects them with BAD_ID.)
import { ErrorCode, userError } from './errors.js';

export function nodeNotFound(globalId: { typename: string }) {
  return userError(ErrorCode.NOT_FOUND, `Could not find a ${globalId.typename} with that id.`);
}
