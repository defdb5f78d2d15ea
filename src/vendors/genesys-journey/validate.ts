// Validation of Genesys journey sessions before normalize(). The model (./model.ts) covers everything
// normalizeJourneySession() relies on: it reads only typed, optional fields, and the dates it parses
// are checked by the tightened `date-time` format (../validation.ts).
import type { ValidationResult } from '../../ingest/types.js';
import { compileModel, runValidation } from '../validation.js';
import { JourneySession } from './model.js';

// Only the session's id is required; what else the SDK requires (nested models) is a warning.
const validator = compileModel<JourneySession>(JourneySession);

export function validateJourneySession(value: unknown): ValidationResult<JourneySession> {
  return runValidation(value, validator);
}
