// Demo Genesys Cloud bot flow sessions with their reporting turns, as the analytics APIs return them.
// A utility/telecom contact centre with two bot flows; fixed timestamps (16-20 Nov 2026) keep the demo
// data set and the tests reproducible.
import { DEMO_SHARED_CONVERSATION_ID } from '../demo-conversation.js';
import type { AddressableEntityRef, BotChannel, BotFlowSessionWithTurns, ReportingTurn } from './model.js';

const ORG_API = '/api/v2';

/** Flow "Billing Bot" (Genesys flow ids are UUIDs; the Entity ref carries only the id). */
export const BILLING_BOT_FLOW_ID = 'a3c5e2f1-6b7d-4e8a-9c0b-1d2e3f4a5b6c';
/** Flow "Order Status Bot". */
export const ORDER_STATUS_BOT_FLOW_ID = 'd7e8f9a0-1b2c-4d3e-8f4a-5b6c7d8e9f01';

function conversation(id: string): AddressableEntityRef {
  return { id, selfUri: `${ORG_API}/conversations/${id}` };
}

const CALL: BotChannel = { name: 'Call', inputModes: ['Voice', 'DTMF'], outputModes: ['Voice'], userAgent: { name: 'Phone' } };
const WEB_MESSAGING: BotChannel = { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } };
const WHATSAPP: BotChannel = { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'Whatsapp' } };
const WEB_CHAT: BotChannel = { name: 'Chat', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } };

function turn(sessionId: string, conversationId: string, fields: Omit<ReportingTurn, 'sessionId' | 'conversation'>): ReportingTurn {
  return { sessionId, conversation: conversation(conversationId), ...fields };
}

const askIntent = (actionNumber: number) => ({
  actionId: `ask-intent-${String(actionNumber)}`,
  actionName: 'Ask for Intent',
  actionNumber,
  actionType: 'AskForNLUIntentAction' as const,
});

// 1. The shared conversation: web messaging, billing question, customer asks for an agent -> transfer.
const S1 = '8b1f6c2e-4d3a-4f5b-9e7c-0a1b2c3d4e51';
const s1Turns: ReportingTurn[] = [
  turn(S1, DEMO_SHARED_CONVERSATION_ID, {
    botPrompts: ['Hi, I am the Billing Bot. How can I help you with your bill today?'],
    userInput: 'My last bill is way higher than usual',
    askAction: askIntent(1),
    intent: {
      name: 'BillTooHigh',
      confidence: 0.91,
      slots: [{ name: 'billPeriod', value: 'last', type: 'BillPeriod', confidence: 0.84 }],
    },
    dateCreated: '2026-11-17T08:55:02.118Z',
    dateCompleted: '2026-11-17T08:55:19.604Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S1, DEMO_SHARED_CONVERSATION_ID, {
    botPrompts: [
      'Your October bill was EUR 184.20, compared with an average of EUR 92.50.',
      'Most of the difference is a meter reading estimate. Would you like to submit an actual reading?',
    ],
    userInput: 'No, I want to talk to someone',
    askAction: { actionId: 'ask-bool-7', actionName: 'Offer meter reading', actionNumber: 7, actionType: 'AskForBooleanAction' },
    intent: { name: 'TalkToAgent', confidence: 0.97, slots: [] },
    knowledge: {
      knowledgeBaseId: '5e4d3c2b-1a09-4f8e-a7d6-c5b4a3928170',
      search: {
        searchId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        query: 'bill higher than usual',
        documents: [
          {
            id: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
            question: 'Why is my bill higher than usual?',
            answer: 'Estimated readings can overstate use; submit a reading to correct it.',
            confidence: 0.88,
          },
        ],
      },
    },
    dateCreated: '2026-11-17T08:55:20.011Z',
    dateCompleted: '2026-11-17T08:56:47.250Z',
    askActionResult: 'AgentRequestedByUser',
  }),
  turn(S1, DEMO_SHARED_CONVERSATION_ID, {
    botPrompts: ['I am connecting you with a billing specialist now.'],
    dateCreated: '2026-11-17T08:56:47.400Z',
    dateCompleted: '2026-11-17T08:56:48.020Z',
    sessionEndDetails: { type: 'Exit', reason: 'TransferToACD' },
  }),
];

// 2. WhatsApp in French: order status, customer leaves once they have the answer.
const S2 = '2c7d9e1f-3a4b-4c5d-8e6f-7a8b9c0d1e22';
const C2 = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62';
const s2Turns: ReportingTurn[] = [
  turn(S2, C2, {
    botPrompts: ['Bonjour ! Je peux suivre votre commande. Quel est votre numéro de commande ?'],
    userInput: 'CMD-448120',
    askAction: { actionId: 'ask-slot-2', actionName: 'Ask order number', actionNumber: 2, actionType: 'AskForSlotAction' },
    intent: { name: 'OrderStatus', confidence: 0.95, slots: [{ name: 'orderNumber', value: 'CMD-448120', type: 'OrderNumber', confidence: 0.99 }] },
    dateCreated: '2026-11-16T10:02:11.000Z',
    dateCompleted: '2026-11-16T10:02:40.310Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S2, C2, {
    botPrompts: ['Votre box fibre a été expédiée le 15 novembre et sera livrée demain avant 13h.', 'Puis-je vous aider pour autre chose ?'],
    userInput: 'non merci, au revoir',
    askAction: askIntent(5),
    intent: { name: 'Goodbye', confidence: 0.93, slots: [] },
    dateCreated: '2026-11-16T10:02:41.020Z',
    dateCompleted: '2026-11-16T10:03:05.777Z',
    askActionResult: 'SuccessCollection',
    sessionEndDetails: { type: 'Exit', reason: 'ExitRequestedByUser' },
  }),
];

// 3. Web chat in British English: the bot answers and ends the session itself.
const S3 = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a833';
const C3 = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d73';
const s3Turns: ReportingTurn[] = [
  turn(S3, C3, {
    botPrompts: ['Hello! I can help with bills, payments and direct debits.'],
    userInput: 'when is my direct debit taken',
    askAction: askIntent(1),
    intent: { name: 'DirectDebitDate', confidence: 0.89, slots: [] },
    dateCreated: '2026-11-18T14:20:00.250Z',
    dateCompleted: '2026-11-18T14:20:21.900Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S3, C3, {
    botPrompts: ['Your direct debit of GBP 61.00 is collected on the 3rd of each month.', 'Is there anything else?'],
    userInput: "that's all thanks",
    askAction: askIntent(4),
    intent: { name: 'NoMoreHelp', confidence: 0.9, slots: [] },
    dateCreated: '2026-11-18T14:20:22.100Z',
    dateCompleted: '2026-11-18T14:20:39.480Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S3, C3, {
    botPrompts: ['Thanks for contacting us. Goodbye!'],
    dateCreated: '2026-11-18T14:20:39.600Z',
    dateCompleted: '2026-11-18T14:20:40.020Z',
    sessionEndDetails: { type: 'Exit', reason: 'ExitRequestedByBot' },
  }),
];

// 4. Voice in German: the caller stops answering and the session expires.
const S4 = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c44';
const C4 = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f84';
const s4Turns: ReportingTurn[] = [
  turn(S4, C4, {
    botPrompts: ['Guten Tag! Sie sprechen mit dem Rechnungsassistenten. Worum geht es?'],
    userInput: 'Ich möchte meine Zählerstände melden',
    askAction: askIntent(1),
    intent: { name: 'SubmitMeterReading', confidence: 0.86, slots: [] },
    dateCreated: '2026-11-19T07:45:10.000Z',
    dateCompleted: '2026-11-19T07:45:24.700Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S4, C4, {
    botPrompts: ['Bitte nennen Sie Ihre Zählernummer.'],
    askAction: { actionId: 'ask-slot-3', actionName: 'Ask meter number', actionNumber: 3, actionType: 'AskForSlotAction' },
    dateCreated: '2026-11-19T07:45:25.010Z',
    dateCompleted: '2026-11-19T07:47:25.010Z',
    askActionResult: 'NoInputCollection',
    sessionEndDetails: { type: 'Disconnect', reason: 'DisconnectSessionExpired' },
  }),
];

// 5. WhatsApp in Dutch: the bot keeps failing to understand and gives up.
const S5 = '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f55';
const C5 = '6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b95';
const s5Turns: ReportingTurn[] = [
  turn(S5, C5, {
    botPrompts: ['Hallo! Waarmee kan ik je helpen met je bestelling?'],
    userInput: 'mijn modem knippert oranje',
    askAction: askIntent(1),
    dateCreated: '2026-11-19T16:31:00.000Z',
    dateCompleted: '2026-11-19T16:31:18.200Z',
    askActionResult: 'NoMatchCollection',
  }),
  turn(S5, C5, {
    botPrompts: ['Sorry, dat begreep ik niet. Gaat het over een bestelling of een levering?'],
    userInput: 'internet doet het niet',
    askAction: askIntent(1),
    dateCreated: '2026-11-19T16:31:18.400Z',
    dateCompleted: '2026-11-19T16:31:40.950Z',
    askActionResult: 'NoMatchCollection',
  }),
  turn(S5, C5, {
    botPrompts: ['Het spijt me, ik kan je hier niet mee helpen. Bel de storingslijn op 0800-0123.'],
    dateCreated: '2026-11-19T16:31:41.100Z',
    dateCompleted: '2026-11-19T16:31:41.600Z',
    sessionEndDetails: { type: 'Exit', reason: 'ExitRecognitionFailure' },
  }),
];

// 6. Web chat still running: no result, no dateCompleted yet.
const S6 = '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c66';
const C6 = '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e16';
const s6Turns: ReportingTurn[] = [
  turn(S6, C6, {
    botPrompts: ['Hi! I can check where your order is.'],
    userInput: 'where is my new phone',
    askAction: askIntent(1),
    intent: { name: 'OrderStatus', confidence: 0.87, slots: [{ name: 'product', value: 'phone', type: 'ProductType', confidence: 0.78 }] },
    dateCreated: '2026-11-20T11:58:30.000Z',
    dateCompleted: '2026-11-20T11:58:49.120Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S6, C6, {
    botPrompts: ['Sure. What is the order number? It starts with CMD.'],
    userInput: 'CMD-451907',
    askAction: { actionId: 'ask-slot-2', actionName: 'Ask order number', actionNumber: 2, actionType: 'AskForSlotAction' },
    intent: { name: 'OrderStatus', confidence: 0.87, slots: [{ name: 'orderNumber', value: 'CMD-451907', type: 'OrderNumber', confidence: 0.99 }] },
    dateCreated: '2026-11-20T11:58:49.300Z',
    dateCompleted: '2026-11-20T11:59:02.640Z',
    askActionResult: 'SuccessCollection',
  }),
];

// 7. A result value this SDK version does not list (Genesys adds values over time): kept raw, outcome UNKNOWN.
const S7 = '6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e77';
const C7 = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a27';
const s7Turns: ReportingTurn[] = [
  turn(S7, C7, {
    botPrompts: ['Welcome to billing. You can say things like "pay my bill" or "payment plan".'],
    userInput: 'payment plan',
    askAction: askIntent(1),
    intent: { name: 'PaymentPlan', confidence: 0.94, slots: [] },
    dateCreated: '2026-11-20T09:10:05.000Z',
    dateCompleted: '2026-11-20T09:10:12.300Z',
    askActionResult: 'SuccessCollection',
  }),
  turn(S7, C7, {
    botPrompts: ['Payment plans need an account holder check, which this line cannot do after 9 pm. Please call back tomorrow.'],
    dateCreated: '2026-11-20T09:10:12.500Z',
    dateCompleted: '2026-11-20T09:10:20.000Z',
    sessionEndDetails: { type: 'Exit', reason: 'ExitRequestedByPolicy' },
  }),
];

export const botFlowFixtures: BotFlowSessionWithTurns[] = [
  {
    id: S1,
    flow: { id: BILLING_BOT_FLOW_ID },
    channel: WEB_MESSAGING,
    language: 'en-US',
    endLanguage: 'en-US',
    botResult: 'TransferToACD',
    botResultCategory: 'Transfer',
    dateCreated: '2026-11-17T08:55:01.870Z',
    dateCompleted: '2026-11-17T08:56:48.020Z',
    conversation: conversation(DEMO_SHARED_CONVERSATION_ID),
    turns: s1Turns,
  },
  {
    id: S2,
    flow: { id: ORDER_STATUS_BOT_FLOW_ID },
    channel: WHATSAPP,
    language: 'fr-FR',
    endLanguage: 'fr-FR',
    botResult: 'ExitRequestedByUser',
    botResultCategory: 'UserExit',
    dateCreated: '2026-11-16T10:02:10.640Z',
    dateCompleted: '2026-11-16T10:03:05.777Z',
    conversation: conversation(C2),
    turns: s2Turns,
  },
  {
    id: S3,
    flow: { id: BILLING_BOT_FLOW_ID },
    channel: WEB_CHAT,
    language: 'en-GB',
    endLanguage: 'en-GB',
    botResult: 'ExitRequestedByBot',
    botResultCategory: 'BotExit',
    dateCreated: '2026-11-18T14:19:59.990Z',
    dateCompleted: '2026-11-18T14:20:40.020Z',
    conversation: conversation(C3),
    turns: s3Turns,
  },
  {
    id: S4,
    flow: { id: BILLING_BOT_FLOW_ID },
    channel: CALL,
    language: 'de-DE',
    endLanguage: 'de-DE',
    botResult: 'DisconnectSessionExpired',
    botResultCategory: 'SessionExpired',
    dateCreated: '2026-11-19T07:45:09.320Z',
    dateCompleted: '2026-11-19T07:47:25.010Z',
    conversation: conversation(C4),
    turns: s4Turns,
  },
  {
    id: S5,
    flow: { id: ORDER_STATUS_BOT_FLOW_ID },
    channel: WHATSAPP,
    language: 'nl-NL',
    endLanguage: 'nl-NL',
    botResult: 'ExitRecognitionFailure',
    botResultCategory: 'RecognitionFailure',
    dateCreated: '2026-11-19T16:30:59.500Z',
    dateCompleted: '2026-11-19T16:31:41.600Z',
    conversation: conversation(C5),
    turns: s5Turns,
  },
  {
    id: S6,
    flow: { id: ORDER_STATUS_BOT_FLOW_ID },
    channel: WEB_CHAT,
    language: 'en-US',
    dateCreated: '2026-11-20T11:58:29.710Z',
    conversation: conversation(C6),
    turns: s6Turns,
  },
  {
    id: S7,
    flow: { id: BILLING_BOT_FLOW_ID },
    channel: CALL,
    language: 'en-US',
    endLanguage: 'en-US',
    botResult: 'ExitRequestedByPolicy',
    dateCreated: '2026-11-20T09:10:04.400Z',
    dateCompleted: '2026-11-20T09:10:20.000Z',
    conversation: conversation(C7),
    turns: s7Turns,
  },
];
