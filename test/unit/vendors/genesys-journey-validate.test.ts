import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journeyFixtures, type JourneySession } from '../../../src/vendors/genesys-journey/index.js';
import { normalizeJourneySession } from '../../../src/vendors/genesys-journey/normalize.js';
import { validateJourneySession } from '../../../src/vendors/genesys-journey/validate.js';
import { expectStorable, jsonish, mutated, RECEIVED_AT, RUNS } from '../../helpers/vendor-fuzz.js';

const base = (): JourneySession => JSON.parse(JSON.stringify(journeyFixtures[0])) as JourneySession;

const VENDOR_REQUIRED = "is required by the vendor's model; the item was stored without it";

function errorsOf(value: unknown) {
  const result = validateJourneySession(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

function totality(value: unknown): void {
  const result = validateJourneySession(value);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(20);
    return;
  }
  const session = normalizeJourneySession(result.value, RECEIVED_AT);
  expectStorable(session, (value as { id: unknown }).id);
  expect(session.messages).toEqual([]);
}

describe('validateJourneySession', () => {
  it('accepts every demo fixture, returning it unchanged', () => {
    for (const fixture of journeyFixtures) expect(validateJourneySession(fixture)).toEqual({ ok: true, value: fixture });
  });

  it('rejects non-objects at the root and requires a non-empty id', () => {
    expect(errorsOf('x')).toEqual([{ path: '$', message: 'must be a JSON object' }]);
    expect(errorsOf({ type: 'web' })).toEqual([{ path: '$.id', message: 'is required' }]);
    expect(errorsOf({ id: '' })).toEqual([{ path: '$.id', message: 'must not be empty' }]);
  });

  it('type-checks nested models; what the SDK requires of them is a warning, not a rejection', () => {
    const doc = {
      ...base(),
      browser: { family: 'Chrome', version: 1, featuresFlash: false, featuresJava: false, featuresPdf: false },
      outcomeAchievements: [{ outcome: {}, achievedDate: 'soon' }],
      lastEvent: { id: 'e', eventName: 'x' },
      searchTerms: ['a', null],
    };
    expect(errorsOf(doc)).toEqual([
      { path: '$.outcomeAchievements[0].achievedDate', message: 'must be a date-time (ISO 8601) string' },
      { path: '$.browser.version', message: 'must be a string' },
      { path: '$.searchTerms[1]', message: 'must be a string' },
    ]);
    const incomplete = {
      ...base(),
      browser: { family: 'Chrome', version: '120', featuresFlash: false, featuresJava: false, featuresPdf: false },
      lastEvent: { id: 'e', eventName: 'x' },
    };
    const result = validateJourneySession(incomplete);
    expect(result.ok && result.warnings).toEqual([
      { path: '$.browser.featuresWebrtc', message: VENDOR_REQUIRED },
      { path: '$.lastEvent.createdDate', message: VENDOR_REQUIRED },
    ]);
  });

  it('checks map values with the key as a JSONPath member', () => {
    const doc = { ...base(), attributes: { '0': { dataType: 'string', value: 2 }, "it's": { dataType: 'x', value: 1 } } };
    expect(errorsOf(doc)).toEqual([
      { path: "$.attributes['0'].value", message: 'must be a string' },
      { path: "$.attributes['it\\'s'].value", message: 'must be a string' },
    ]);
    // A name with a line break is checked like any other (TypeBox's default key pattern `.` would skip it).
    expect(errorsOf({ ...base(), attributeLists: { 'line\nbreak': { dataType: 'string', values: 'x' } } })).toHaveLength(1);
    expect(errorsOf({ ...base(), attributes: { 'line\u2028sep': { dataType: 7 } } })).toHaveLength(1);
    const result = validateJourneySession({ ...base(), attributes: { '0': { dataType: 'string' } } });
    expect(result.ok && result.warnings).toEqual([{ path: "$.attributes['0'].value", message: VENDOR_REQUIRED }]);
  });

  it('reads the current SDK fields: app, sdkLibrary, networkConnectivity, divisionIds, lastScreen, cases', () => {
    const doc = {
      ...base(),
      app: { name: 'mybankingapp', namespace: 'com.genesys.bancodinero', version: '5.9.27', buildNumber: '701' },
      sdkLibrary: { name: 'journey-sdk-ios', version: '2.1.0' },
      networkConnectivity: { carrier: 'Orange', bluetoothEnabled: false, cellularEnabled: true, wifiEnabled: true },
      divisionIds: ['d-1', 'd-2'],
      lastScreen: 'PaymentConfirmation',
      caseAssociations: [{ id: 'ca-1', caseReference: 'CASE-1', dateAssociated: '2026-11-20T10:00:00Z' }],
      caseStatus: 'Open',
    };
    expect(validateJourneySession(doc)).toEqual({ ok: true, value: doc });
    expect(errorsOf({ ...doc, networkConnectivity: { wifiEnabled: 'yes' }, divisionIds: 'd-1' })).toEqual([
      { path: '$.networkConnectivity.wifiEnabled', message: 'must be a boolean' },
      { path: '$.divisionIds', message: 'must be an array' },
    ]);
  });

  it('requires seed Integer counters to be safe integers', () => {
    expect(errorsOf({ ...base(), eventCount: 1.5 })).toEqual([{ path: '$.eventCount', message: 'must be an integer' }]);
    expect(errorsOf({ ...base(), durationInSeconds: 1e300 })).toEqual([
      { path: '$.durationInSeconds', message: 'must be a safe integer (between -9007199254740991 and 9007199254740991)' },
    ]);
  });

  it('keeps unknown enum values', () => {
    expect(
      validateJourneySession({ ...base(), lastAcdOutcome: 'Deflected', originatingDirection: 'Sideways', device: { ...base().device, category: 'watch' } }).ok,
    ).toBe(true);
  });

  it('refuses null where the model has an optional field', () => {
    expect(errorsOf({ ...base(), endedDate: null })).toEqual([{ path: '$.endedDate', message: 'must be a string' }]);
  });

  it('never throws on arbitrary JSON, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, totality), RUNS);
  });

  it('never throws on mutated fixtures, and what it accepts normalises', () => {
    fc.assert(fc.property(mutated(journeyFixtures), totality), RUNS);
  });
});
