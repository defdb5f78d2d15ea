// The vendor registry: one module per SessionKind. Code outside src/vendors/ reaches vendors through here.
import type { SessionKind } from '../generated/prisma/enums.js';
import { chatlayerModule } from './chatlayer/index.js';
import type { ChatlayerSessionData } from './chatlayer/model.js';
import { einsteinModule } from './einstein/index.js';
import type { EinsteinBotSession } from './einstein/model.js';
import { genesysBotFlowModule } from './genesys-bot-flow/index.js';
import type { BotFlowSessionWithTurns } from './genesys-bot-flow/model.js';
import { genesysJourneyModule } from './genesys-journey/index.js';
import type { JourneySession } from './genesys-journey/model.js';
import type { NormalizedSession, VendorModuleWithDemo } from './normalized.js';

/** Each kind's native document type, so callers keep type safety when they pick a module by kind. */
export interface NativeDocumentByKind {
  BOT_FLOW: BotFlowSessionWithTurns;
  EINSTEIN_BOT: EinsteinBotSession;
  CHATLAYER: ChatlayerSessionData;
  JOURNEY: JourneySession;
}

export const vendorModules: { readonly [K in SessionKind]: VendorModuleWithDemo<NativeDocumentByKind[K]> } = {
  BOT_FLOW: genesysBotFlowModule,
  EINSTEIN_BOT: einsteinModule,
  CHATLAYER: chatlayerModule,
  JOURNEY: genesysJourneyModule,
};

/** The normalised demo data set of every vendor; `receivedAt` stands in where a vendor sends no time. */
export function demoSessions(receivedAt: Date): NormalizedSession[] {
  return [
    ...genesysJourneyModule.demoSessions(receivedAt),
    ...genesysBotFlowModule.demoSessions(receivedAt),
    ...einsteinModule.demoSessions(receivedAt),
    ...chatlayerModule.demoSessions(receivedAt),
  ];
}
