// Demo Einstein Bot sessions (seed 001 shape). Two bots of a utility's Salesforce org; one session uses the
// runtime API's lowercase message types, the others the seed's spelling. Fixed timestamps, 16-20 Nov 2026.
import { DEMO_SHARED_CONVERSATION_ID } from '../demo-conversation.js';
import type { EinsteinBotSession } from './model.js';

/** "Billing Assistant" bot. */
export const BILLING_ASSISTANT_BOT_ID = '0XxRM0000004CqP0AU';
/** "Outage Helper" bot. */
export const OUTAGE_HELPER_BOT_ID = '0XxRM0000004DaB0AU';

export const einsteinFixtures: EinsteinBotSession[] = [
  {
    // Genesys routed the shared conversation here after its Billing Bot transferred; the customer then
    // asked for a person again and the Einstein bot escalated to a Service Cloud agent.
    sessionId: 'c41d8f2a-6b3e-4d5f-9a7c-1e2b3d4f5a60',
    botId: BILLING_ASSISTANT_BOT_ID,
    status: 'Transferred',
    createdDate: '2026-11-17T08:56:52.300Z',
    lastActiveDate: '2026-11-17T08:58:40.115Z',
    externalSessionKey: DEMO_SHARED_CONVERSATION_ID,
    sessionEnded: true,
    messages: [
      {
        type: 'Text',
        sender: 'Bot',
        text: 'Hi, this is the Billing Assistant. I can see you asked about your October bill.',
        sequenceId: 1,
        timestamp: '2026-11-17T08:56:52.900Z',
      },
      {
        type: 'Choices',
        sender: 'Bot',
        text: 'What would you like to do?',
        choices: [
          { label: 'Explain my bill', value: 'explain_bill', index: 0 },
          { label: 'Set up a payment plan', value: 'payment_plan', index: 1 },
          { label: 'Talk to an agent', value: 'agent', index: 2 },
        ],
        sequenceId: 2,
        timestamp: '2026-11-17T08:56:53.200Z',
      },
      { type: 'Text', sender: 'User', text: 'Talk to an agent', sequenceId: 3, timestamp: '2026-11-17T08:58:31.480Z' },
      {
        type: 'EscalateToAgent',
        sender: 'Bot',
        text: 'Connecting you to a billing agent. Average wait is 3 minutes.',
        sequenceId: 4,
        timestamp: '2026-11-17T08:58:40.115Z',
      },
    ],
  },
  {
    // Completed in French; the transcript has no sequenceIds (an export), so positions order it.
    sessionId: '5a9e0b7c-2d1f-4e3a-8b6c-7d9e0f1a2b71',
    botId: BILLING_ASSISTANT_BOT_ID,
    status: 'Ended',
    createdDate: '2026-11-16T13:40:00.000Z',
    lastActiveDate: '2026-11-16T13:42:18.640Z',
    externalSessionKey: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d02',
    sessionEnded: true,
    messages: [
      { type: 'Text', sender: 'Bot', text: 'Bonjour ! Je suis votre assistant facturation.', timestamp: '2026-11-16T13:40:00.450Z' },
      { type: 'Text', sender: 'User', text: 'Je voudrais télécharger ma facture de novembre', timestamp: '2026-11-16T13:41:02.010Z' },
      {
        type: 'Text',
        sender: 'Bot',
        text: 'Votre facture de novembre est disponible dans votre espace client, rubrique Factures.',
        timestamp: '2026-11-16T13:41:03.300Z',
      },
      { type: 'Text', sender: 'User', text: 'Merci', timestamp: '2026-11-16T13:42:15.000Z' },
      { type: 'SessionEnded', sender: 'Bot', text: 'Session terminée.', timestamp: '2026-11-16T13:42:18.640Z' },
    ],
  },
  {
    // Still running, recorded from the runtime API v5: lowercase types, client int64 sequenceIds.
    sessionId: 'e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a82',
    botId: OUTAGE_HELPER_BOT_ID,
    status: 'Active',
    createdDate: '2026-11-20T06:12:44.000Z',
    lastActiveDate: '2026-11-20T06:13:30.905Z',
    externalSessionKey: 'f5a6b7c8-d9e0-4f1a-8b2c-3d4e5f6a7b13',
    sessionEnded: false,
    messages: [
      {
        type: 'text',
        sender: 'Bot',
        text: 'Hi! I can check for power and broadband outages near you.',
        sequenceId: 1795155164100,
        timestamp: '2026-11-20T06:12:44.100Z',
      },
      { type: 'text', sender: 'User', text: 'no power since 5am in 3584 AB', sequenceId: 1795155188220, timestamp: '2026-11-20T06:13:08.220Z' },
      {
        type: 'choices',
        sender: 'Bot',
        text: 'There is a known outage in 3584 AB, expected to be fixed by 09:30. Do you want a text when power is back?',
        choices: [
          { label: 'Yes, text me', value: 'notify_sms', index: 0 },
          { label: 'No thanks', value: 'no_notify', index: 1 },
        ],
        sequenceId: 1795155210905,
        timestamp: '2026-11-20T06:13:30.905Z',
      },
    ],
  },
  {
    // Ended with no SessionEnded message: the session timed out, so endedAt falls back to lastActiveDate.
    sessionId: '9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d93',
    botId: OUTAGE_HELPER_BOT_ID,
    status: 'Ended',
    createdDate: '2026-11-18T19:05:12.000Z',
    lastActiveDate: '2026-11-18T19:06:01.330Z',
    externalSessionKey: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a24',
    sessionEnded: true,
    messages: [
      { type: 'Text', sender: 'Bot', text: 'Hi! I can check for power and broadband outages near you.', sequenceId: 1, timestamp: '2026-11-18T19:05:12.400Z' },
      { type: 'Text', sender: 'User', text: 'is there a broadband outage in SW1A 1AA', sequenceId: 2, timestamp: '2026-11-18T19:05:40.010Z' },
      {
        type: 'Text',
        sender: 'Bot',
        text: 'No outages are reported for SW1A 1AA. Try restarting your router; the lights should turn white within 5 minutes.',
        sequenceId: 3,
        timestamp: '2026-11-18T19:06:01.330Z',
      },
    ],
  },
  {
    // German session where the customer asked for a callback: a Transfer message, then the end marker.
    sessionId: '1f2a3b4c-5d6e-4f7a-9b8c-0d1e2f3a4b05',
    botId: BILLING_ASSISTANT_BOT_ID,
    status: 'Ended',
    createdDate: '2026-11-19T11:20:00.000Z',
    lastActiveDate: '2026-11-19T11:22:47.500Z',
    externalSessionKey: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e35',
    sessionEnded: true,
    messages: [
      { type: 'Text', sender: 'Bot', text: 'Hallo! Wie kann ich Ihnen bei Ihrer Rechnung helfen?', sequenceId: 1, timestamp: '2026-11-19T11:20:00.300Z' },
      { type: 'Text', sender: 'User', text: 'Ich möchte einen Rückruf wegen einer Gutschrift', sequenceId: 2, timestamp: '2026-11-19T11:21:10.000Z' },
      {
        type: 'Transfer',
        sender: 'Bot',
        text: 'Ich leite Ihre Rückrufanfrage an unser Abrechnungsteam weiter.',
        sequenceId: 3,
        timestamp: '2026-11-19T11:22:45.000Z',
      },
      { type: 'SessionEnded', sequenceId: 4, timestamp: '2026-11-19T11:22:47.500Z' },
    ],
  },
];
