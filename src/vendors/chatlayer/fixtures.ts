// Demo Chatlayer sessions: session data snapshots (both accepted forms, both dialog-state spellings)
// with the offloading-webhook events received for them. A Benelux energy/telecom provider's two bots;
// fixed timestamps, 16-20 Nov 2026.
import type { ChatlayerSessionData, ChatlayerWebhookEvent } from './model.js';

/** "Klantenservice" customer-service bot (Chatlayer bot ids are numeric strings). */
export const CUSTOMER_SERVICE_BOT_ID = '2231';
/** "Move & connect" bot, still being built (DRAFT sessions come from the emulator). */
export const MOVING_BOT_ID = '2240';

export interface ChatlayerDemoCase {
  session: ChatlayerSessionData;
  events: ChatlayerWebhookEvent[];
}

const WA_SESSION = 'whatsapp-31612345678-5d0f7c2a';
const WEB_SESSION = 'web-8e2b4c6d-1a3f-4b5e-9c7d-0f2e4a6c8b10';
const MESSENGER_SESSION = 'messenger-4417293058812245';
const EMULATOR_SESSION = 'emulator-f28feb19-9d00-426a-ac65-539d5e1d3a73';

export const chatlayerDemoCases: ChatlayerDemoCase[] = [
  {
    // Form (a), flat as in the seed; Dutch meter-reading conversation on WhatsApp.
    session: {
      botId: CUSTOMER_SERVICE_BOT_ID,
      sessionId: WA_SESSION,
      version: 'LIVE',
      channel: 'whatsapp',
      user: { firstName: 'Sanne', lastName: 'de Vries' },
      preferredLanguage: 'nl',
      locale: 'nl-nl',
      nlp: {
        expression: 'mijn meterstand is 04512',
        intent: { name: 'meterstand_doorgeven', score: 0.94 },
        entities: [{ name: 'meterstand', value: '04512', raw: '04512', type: 'sys.number' }],
        intents: [
          { name: 'meterstand_doorgeven', score: 0.94 },
          { name: 'factuur_vraag', score: 0.04 },
        ],
        sentiment: { name: 'neutral', score: 0.12 },
      },
      currentDialogstate: { name: 'meterstand_bevestigen', id: '6a1c0e3b-7f2d-4c8e-9b5a-3d1f0e7c2a94', type: 'MESSAGE' },
      previousDialogstate: { name: 'meterstand_vragen', id: '1f9e3c7a-2b6d-4e0f-8a5c-7d3b1e9f0c26', type: 'INPUT' },
      messageContent: 'mijn meterstand is 04512',
      messageType: 'text',
      variables: { klantnummer: 'NL-00481273', meterType: 'gas', laatsteMeterstand: 4512 },
    },
    events: [
      {
        event: 'messages',
        botId: CUSTOMER_SERVICE_BOT_ID,
        version: 'LIVE',
        sessionId: WA_SESSION,
        channel: 'whatsapp',
        messages: [
          { actor: 'user', message: { text: 'ik wil mijn meterstand doorgeven' }, timestamp: '2026-11-16T18:04:10.120Z' },
          { actor: 'bot', message: { type: 'text', text: 'Prima! Wat is de stand van je gasmeter?' }, timestamp: '2026-11-16T18:04:11.005Z' },
          { actor: 'user', message: { text: 'mijn meterstand is 04512' }, timestamp: '2026-11-16T18:04:52.430Z' },
          { actor: 'bot', message: { type: 'text', text: 'Bedankt Sanne, we hebben 04512 m³ genoteerd.' }, timestamp: '2026-11-16T18:04:53.210Z' },
        ],
      },
    ],
  },
  {
    // Form (b), `internal` + `variables`, with the `...DialogState` spelling; English web widget, postback.
    session: {
      internal: {
        botId: CUSTOMER_SERVICE_BOT_ID,
        sessionId: WEB_SESSION,
        version: 'LIVE',
        channel: 'web',
        user: { firstName: 'Guest' },
        preferredLanguage: 'en',
        locale: 'en-gb',
        nlp: {
          expression: 'Compare fibre plans',
          intent: { name: 'compare_plans', score: 0.88 },
          entities: [{ name: 'product', value: 'fibre', raw: 'fibre', type: 'product' }],
          intents: [
            { name: 'compare_plans', score: 0.88 },
            { name: 'upgrade_plan', score: 0.09 },
          ],
          sentiment: { name: 'positive', score: 0.41 },
        },
        currentDialogState: { name: 'show_fibre_plans', id: '0b7e2d4f-9a1c-4e3b-8d6f-2c5a7e9b1d38', type: 'MESSAGE' },
        previousDialogState: { name: 'main_menu', id: '8c3a5e7b-1d9f-4a2c-b6e8-0f4d2a6c8e51', type: 'MESSAGE' },
        messageContent: 'Compare fibre plans',
        messageType: 'postback',
      },
      variables: { postcode: 'EC1A 1BB', currentPlan: { name: 'Fibre 150', monthlyPrice: 32.5 }, marketingOptIn: false },
    },
    events: [
      {
        event: 'messages',
        botId: CUSTOMER_SERVICE_BOT_ID,
        version: 'LIVE',
        sessionId: WEB_SESSION,
        channel: 'web',
        timestamp: '2026-11-18T10:31:02.000Z',
        messages: [
          {
            actor: 'bot',
            message: {
              type: 'text',
              text: 'Hi there! What can I help you with?',
              quickReplies: [
                { title: 'Compare fibre plans', payload: 'compare_plans' },
                { title: 'Report a fault', payload: 'report_fault' },
              ],
            },
            timestamp: '2026-11-18T10:31:02.000Z',
          },
          {
            actor: 'user',
            message: { postback: { title: 'Compare fibre plans', payload: 'compare_plans' }, text: 'Compare fibre plans' },
            timestamp: '2026-11-18T10:31:15.640Z',
          },
          {
            actor: 'bot',
            message: { type: 'text', text: 'Fibre 500 is EUR 39/month and Fibre 1000 is EUR 49/month. You are on Fibre 150 now.' },
            timestamp: '2026-11-18T10:31:16.300Z',
          },
        ],
      },
    ],
  },
  {
    // Form (b), French on Messenger; the customer asks for a person and Chatlayer offloads to the
    // contact centre (the Genesys conversation id is saved in the variables by the hand-over action).
    session: {
      internal: {
        botId: CUSTOMER_SERVICE_BOT_ID,
        sessionId: MESSENGER_SESSION,
        version: 'LIVE',
        channel: 'messenger',
        user: { firstName: 'Camille', lastName: 'Lefèvre' },
        preferredLanguage: 'fr',
        locale: 'fr-be',
        nlp: {
          expression: 'je veux parler à un conseiller',
          intent: { name: 'parler_conseiller', score: 0.97 },
          entities: [],
          intents: [{ name: 'parler_conseiller', score: 0.97 }],
          sentiment: { name: 'negative', score: -0.63 },
        },
        currentDialogstate: { name: 'transfert_conseiller', id: '4e6a8c0b-2d4f-4a6c-8e0b-2d4f6a8c0e72', type: 'ACTION' },
        previousDialogstate: { name: 'panne_internet', id: '9d1b3f5a-7c9e-4b1d-a3f5-7c9e1b3d5f83', type: 'MESSAGE' },
        messageContent: 'je veux parler à un conseiller',
        messageType: 'text',
      },
      variables: { conversationId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e96', numeroClient: 'BE-7730195', panneSignalee: true },
    },
    events: [
      {
        event: 'messages',
        botId: CUSTOMER_SERVICE_BOT_ID,
        version: 'LIVE',
        sessionId: MESSENGER_SESSION,
        channel: 'messenger',
        messages: [
          { actor: 'user', message: { text: 'internet coupé depuis ce matin' }, timestamp: '2026-11-19T08:12:30.500Z' },
          { actor: 'bot', message: { type: 'text', text: 'Je suis désolé. Avez-vous déjà redémarré votre modem ?' }, timestamp: '2026-11-19T08:12:31.220Z' },
        ],
      },
      {
        event: 'messages',
        botId: CUSTOMER_SERVICE_BOT_ID,
        version: 'LIVE',
        sessionId: MESSENGER_SESSION,
        channel: 'messenger',
        messages: [
          { actor: 'user', message: { text: 'je veux parler à un conseiller' }, timestamp: '2026-11-19T08:13:05.040Z' },
          { actor: 'bot', message: { type: 'text', text: 'Je vous mets en relation avec un conseiller.' }, timestamp: '2026-11-19T08:13:05.900Z' },
        ],
      },
      {
        event: 'offload',
        botId: CUSTOMER_SERVICE_BOT_ID,
        version: 'LIVE',
        sessionId: MESSENGER_SESSION,
        channel: 'messenger',
        timestamp: '2026-11-19T08:13:06.150Z',
        transcript: [
          { actor: 'user', message: { text: 'internet coupé depuis ce matin' }, timestamp: '2026-11-19T08:12:30.500Z' },
          { actor: 'bot', message: { type: 'text', text: 'Je suis désolé. Avez-vous déjà redémarré votre modem ?' }, timestamp: '2026-11-19T08:12:31.220Z' },
          { actor: 'user', message: { text: 'oui deux fois' }, timestamp: '2026-11-19T08:12:48.700Z' },
          { actor: 'bot', message: { type: 'text', text: 'Merci. Je vérifie les pannes connues dans votre quartier.' }, timestamp: '2026-11-19T08:12:49.300Z' },
          { actor: 'user', message: { text: 'je veux parler à un conseiller' }, timestamp: '2026-11-19T08:13:05.040Z' },
          { actor: 'bot', message: { type: 'text', text: 'Je vous mets en relation avec un conseiller.' }, timestamp: '2026-11-19T08:13:05.900Z' },
        ],
      },
    ],
  },
  {
    // Form (a) from the emulator, DRAFT bot; the tester uploaded a photo of a meter. No webhook events.
    session: {
      botId: MOVING_BOT_ID,
      sessionId: EMULATOR_SESSION,
      version: 'DRAFT',
      channel: 'web',
      user: { firstName: 'Guest' },
      preferredLanguage: 'en',
      locale: 'en-us',
      nlp: {
        expression: 'meter-photo.jpg',
        intent: { name: 'None', score: 0.31 },
        entities: [0],
        intents: [{ name: 'None', score: 0.31 }],
        sentiment: { name: 'neutral', score: 0.02 },
      },
      currentDialogstate: { name: 'upload_meter_photo', id: '25b838ca-0fea-4b97-b91e-31bd8d932cf9', type: 'INPUT' },
      previousDialogstate: { name: 'introduction', id: '5c7e9a1b-3d5f-4e7a-9c1b-3d5f7e9a1c04', type: 'MESSAGE' },
      messageContent: 'https://files.chatlayer.ai/uploads/2240/meter-photo.jpg',
      messageType: 'fileUploadInputResult',
      variables: { moveDate: '2026-12-01', newAddress: { street: 'Kerkstraat 12', city: 'Gent', postcode: '9000' } },
    },
    events: [],
  },
];

export const chatlayerFixtures: ChatlayerSessionData[] = chatlayerDemoCases.map((c) => c.session);
