// JSON Schema (2020-12) of a Genesys Cloud journey `Session`, written from ./native.ts (seed 004 plus the
// SDK's nested models). Fields the SDK marks required are required; enum-typed fields are plain strings
// (values Genesys adds later are kept raw). Seed 004's Integer fields are safe integers (`safeInteger`,
// ../validation.ts); dates are `format: date-time` as tightened there.
// No `additionalProperties: false` anywhere: fields Genesys adds are kept, not rejected.
import type { SchemaObject } from 'ajv';

const string = { type: 'string' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const integer = { type: 'integer', safeInteger: true } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const strings = { type: 'array', items: string } as const;

const addressableEntityRef = { type: 'object', properties: { id: string, selfUri: string } } as const;
const idRef = { type: 'object', properties: { id: string, selfUri: string }, required: ['id'] } as const;

export const journeySessionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Genesys Cloud journey Session',
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1 },
    customerId: string,
    customerIdType: string,
    type: string,
    externalId: string,
    externalUrl: string,
    shortId: string,
    outcomeAchievements: {
      type: 'array',
      items: { type: 'object', properties: { outcome: idRef, achievedDate: dateTime }, required: ['outcome', 'achievedDate'] },
    },
    segmentAssignments: {
      type: 'array',
      items: { type: 'object', properties: { segment: idRef, assignedDate: dateTime }, required: ['segment', 'assignedDate'] },
    },
    attributes: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { dataType: string, value: string }, required: ['dataType', 'value'] },
    },
    attributeLists: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { dataType: string, values: strings }, required: ['dataType', 'values'] },
    },
    browser: {
      type: 'object',
      properties: {
        family: string,
        version: string,
        lang: string,
        fingerprint: string,
        isMobile: boolean,
        viewHeight: number,
        viewWidth: number,
        featuresFlash: boolean,
        featuresJava: boolean,
        featuresPdf: boolean,
        featuresWebrtc: boolean,
      },
      required: ['family', 'version', 'featuresFlash', 'featuresJava', 'featuresPdf', 'featuresWebrtc'],
    },
    device: {
      type: 'object',
      properties: {
        category: string,
        type: string,
        isMobile: boolean,
        screenHeight: number,
        screenWidth: number,
        screenDensity: number,
        fingerprint: string,
        osFamily: string,
        osVersion: string,
        manufacturer: string,
      },
      required: ['category', 'type', 'isMobile', 'osFamily', 'osVersion'],
    },
    geolocation: {
      type: 'object',
      properties: {
        country: string,
        countryName: string,
        latitude: number,
        longitude: number,
        locality: string,
        postalCode: string,
        region: string,
        regionName: string,
        source: string,
        timezone: string,
      },
    },
    ipAddress: string,
    ipOrganization: string,
    lastPage: {
      type: 'object',
      properties: {
        url: string,
        title: string,
        domain: string,
        fragment: string,
        hostname: string,
        keywords: string,
        lang: string,
        pathname: string,
        queryString: string,
        breadcrumb: strings,
      },
      required: ['url', 'domain', 'hostname', 'pathname', 'breadcrumb'],
    },
    mktCampaign: {
      type: 'object',
      properties: { content: string, medium: string, name: string, source: string, term: string, clickId: string, network: string },
    },
    referrer: {
      type: 'object',
      properties: {
        url: string,
        domain: string,
        hostname: string,
        keywords: string,
        pathname: string,
        queryString: string,
        fragment: string,
        name: string,
        medium: string,
      },
      required: ['url', 'domain', 'hostname', 'pathname', 'medium'],
    },
    searchTerms: strings,
    userAgentString: string,
    durationInSeconds: integer,
    eventCount: integer,
    pageviewCount: integer,
    screenviewCount: integer,
    lastEvent: {
      type: 'object',
      properties: { id: string, eventName: string, createdDate: dateTime },
      required: ['id', 'eventName', 'createdDate'],
    },
    lastConnectedQueue: addressableEntityRef,
    lastConnectedUser: addressableEntityRef,
    lastUserDisposition: {
      type: 'object',
      properties: { code: string, notes: string, user: addressableEntityRef },
      required: ['code', 'user'],
    },
    conversationChannels: {
      type: 'array',
      items: { type: 'object', properties: { type: string, messageType: string, platform: string }, required: ['type'] },
    },
    originatingDirection: string,
    conversationSubject: string,
    lastUserDisconnectType: string,
    lastAcdOutcome: string,
    authenticated: boolean,
    selfUri: string,
    createdDate: dateTime,
    endedDate: dateTime,
    externalContact: addressableEntityRef,
    awayDate: dateTime,
    idleDate: dateTime,
    conversation: addressableEntityRef,
    app: {
      type: 'object',
      properties: { name: string, namespace: string, version: string, buildNumber: string },
      required: ['name', 'namespace', 'version', 'buildNumber'],
    },
    sdkLibrary: { type: 'object', properties: { name: string, version: string }, required: ['name', 'version'] },
    networkConnectivity: {
      type: 'object',
      properties: { carrier: string, bluetoothEnabled: boolean, cellularEnabled: boolean, wifiEnabled: boolean },
      required: ['bluetoothEnabled', 'cellularEnabled', 'wifiEnabled'],
    },
    divisionIds: strings,
    lastScreen: string,
    caseAssociations: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: string, associatedCase: addressableEntityRef, caseReference: string, dateAssociated: dateTime, selfUri: string },
        required: ['id'],
      },
    },
    caseEntity: addressableEntityRef,
    caseReference: string,
    caseStatus: string,
  },
  required: ['id'],
} as const satisfies SchemaObject;
