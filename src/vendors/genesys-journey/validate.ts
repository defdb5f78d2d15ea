// Validation of Genesys journey sessions before normalize(). The schema (./schema.ts) covers everything
// normalizeJourneySession() relies on: it reads only typed, optional fields, and the dates it parses
// are checked by the tightened `date-time` format (../validation.ts).
import type { ValidationResult } from '../../ingest/types.js';
import { compileSchema, runValidation } from '../validation.js';
import type { JourneySession } from './native.js';
import { journeySessionSchema } from './schema.js';

// Only the session's id is required; what else the SDK requires (nested models) is a warning.
const validator = compileSchema<JourneySession>(journeySessionSchema, { required: ['id'] });

export function validateJourneySession(value: unknown): ValidationResult<JourneySession> {
  return runValidation(value, validator);
}
