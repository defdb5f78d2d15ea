// Deterministic, realistic vendor-native documents for the benchmarks, modelled on the demo fixtures
// (src/vendors/*/fixtures.ts): Einstein Bot sessions with 10-30 messages (seed and runtime-API
// spellings), and Genesys bot flow sessions with their reporting turns (10-30 messages once normalised).
// Every vendor has its own seeded stream, so adding a vendor later does not change the others' data.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EinsteinBotMessage, EinsteinBotSession } from '../../src/vendors/einstein/model.js';
import type { BotChannel, BotFlowSessionWithTurns, ReportingTurn } from '../../src/vendors/genesys-bot-flow/model.js';
import { createRandom, deriveSeed, uniqueUuid, type Random } from './random.js';

/** The vendors the generator can produce; each has its own ingest route. */
export type GeneratedVendor = 'einstein' | 'genesysBotFlow';

export interface GeneratedDocument<Doc> {
  doc: Doc;
  /** How many messages Parley stores for it (what the normaliser produces). */
  messages: number;
  /** Whether it names a conversation (each generated conversation is unique). */
  conversation: boolean;
}

// First session 1 Oct 2026, one every ~40 s on average: 20,000 sessions span about nine days.
const START_MS = Date.UTC(2026, 9, 1, 6, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

const LANGUAGES = ['en', 'fr', 'de', 'nl'] as const;
type Language = (typeof LANGUAGES)[number];

const TEXT: Record<Language, { greet: string[]; user: string[]; bot: string[]; choice: string; end: string; escalate: string }> = {
  en: {
    greet: ['Hi, this is the Billing Assistant. How can I help with your bill?', 'Hi! I can check for power and broadband outages near you.'],
    user: [
      'My last bill is way higher than usual',
      'no power since 5am in 3584 AB',
      'when is my direct debit taken',
      'I want to set up a payment plan',
      'is there a broadband outage in SW1A 1AA',
      'can I change my tariff',
      'I moved house last month',
      'the meter reading on my bill is wrong',
      'thanks, that helps',
      'yes please',
    ],
    bot: [
      'Your October bill was EUR 184.20, compared with an average of EUR 92.50.',
      'There is a known outage in your area, expected to be fixed by 09:30.',
      'Your direct debit is collected on the 3rd of each month.',
      'Most of the difference is a meter reading estimate.',
      'I have updated your account. You will get a confirmation email shortly.',
      'Could you confirm the postcode of the property?',
      'No outages are reported for that postcode. Try restarting your router.',
    ],
    choice: 'What would you like to do?',
    end: 'Thanks for contacting us. Goodbye!',
    escalate: 'Connecting you to an agent. Average wait is 3 minutes.',
  },
  fr: {
    greet: ['Bonjour ! Je suis votre assistant facturation.', 'Bonjour ! Je peux suivre votre commande.'],
    user: ['Je voudrais télécharger ma facture de novembre', 'CMD-448120', 'ma facture est trop élevée', 'non merci, au revoir', 'oui'],
    bot: [
      'Votre facture de novembre est disponible dans votre espace client, rubrique Factures.',
      'Votre box fibre a été expédiée le 15 novembre et sera livrée demain avant 13h.',
      'Puis-je vous aider pour autre chose ?',
    ],
    choice: 'Que souhaitez-vous faire ?',
    end: 'Merci de votre visite. Au revoir !',
    escalate: 'Je vous mets en relation avec un conseiller.',
  },
  de: {
    greet: ['Hallo! Wie kann ich Ihnen bei Ihrer Rechnung helfen?', 'Guten Tag! Sie sprechen mit dem Rechnungsassistenten.'],
    user: ['Ich möchte einen Rückruf wegen einer Gutschrift', 'Ich möchte meine Zählerstände melden', 'meine Rechnung ist zu hoch', 'ja bitte', 'danke'],
    bot: ['Bitte nennen Sie Ihre Zählernummer.', 'Ihre Gutschrift wird mit der nächsten Rechnung verrechnet.', 'Kann ich sonst noch helfen?'],
    choice: 'Was möchten Sie tun?',
    end: 'Vielen Dank. Auf Wiedersehen!',
    escalate: 'Ich leite Sie an unser Abrechnungsteam weiter.',
  },
  nl: {
    greet: ['Hallo! Waarmee kan ik je helpen met je bestelling?', 'Hallo! Ik help je met je rekening.'],
    user: ['mijn modem knippert oranje', 'internet doet het niet', 'wanneer wordt mijn bestelling geleverd', 'ja graag', 'dank je'],
    bot: ['Je bestelling wordt morgen tussen 9 en 13 uur geleverd.', 'Herstart je modem en wacht vijf minuten.', 'Kan ik je nog ergens anders mee helpen?'],
    choice: 'Wat wil je doen?',
    end: 'Bedankt en tot ziens!',
    escalate: 'Ik verbind je door met een medewerker.',
  },
};

const CHOICES = [
  { label: 'Explain my bill', value: 'explain_bill', index: 0 },
  { label: 'Set up a payment plan', value: 'payment_plan', index: 1 },
  { label: 'Talk to an agent', value: 'agent', index: 2 },
];

// ---- Einstein Bot sessions (seed 001 shape) ----

const EINSTEIN_BOTS = ['0XxRM0000004CqP0AU', '0XxRM0000004DaB0AU', '0XxRM0000004EfG0AU'];

export function* einsteinDocuments(seed: number, count: number): Generator<GeneratedDocument<EinsteinBotSession>> {
  const random = createRandom(deriveSeed(seed, 'einstein'));
  for (let i = 0; i < count; i++) yield einsteinDocument(random, i);
}

function einsteinDocument(random: Random, index: number): GeneratedDocument<EinsteinBotSession> {
  const lang = random.pick(LANGUAGES);
  const text = TEXT[lang];
  // 30% recorded from the runtime API (lowercase types, epoch-based sequenceIds), 10% exports without
  // sequenceIds (positions order them), the rest the seed's spelling with 1..n.
  const style = random.chance(0.3) ? 'runtime' : random.chance(0.14) ? 'export' : 'seed';
  const t = (seedType: 'Text' | 'Choices' | 'EscalateToAgent' | 'SessionEnded') =>
    style === 'runtime' ? { Text: 'text', Choices: 'choices', EscalateToAgent: 'escalate', SessionEnded: 'sessionEnded' }[seedType] : seedType;
  const ending = random.next();
  const outcome = ending < 0.55 ? 'ended' : ending < 0.8 ? 'transferred' : ending < 0.95 ? 'active' : 'timeout';
  const total = random.int(10, 30);
  let at = START_MS + index * 80_000 + random.int(0, 60_000);
  const createdMs = at;
  const messages: EinsteinBotMessage[] = [];
  const push = (message: Omit<EinsteinBotMessage, 'timestamp' | 'sequenceId'>) => {
    at += random.int(400, 25_000);
    const sequenceId = style === 'runtime' ? at * 10 + messages.length : style === 'seed' ? messages.length + 1 : undefined;
    messages.push({ ...message, ...(sequenceId === undefined ? {} : { sequenceId }), timestamp: iso(at) });
  };
  push({ type: t('Text'), sender: 'Bot', text: random.pick(text.greet) });
  const closing = outcome === 'ended' || outcome === 'transferred' ? 1 : 0;
  while (messages.length < total - closing) {
    if (messages.length % 2 === 1) push({ type: t('Text'), sender: 'User', text: random.pick(text.user) });
    else if (random.chance(0.2)) push({ type: t('Choices'), sender: 'Bot', text: text.choice, choices: CHOICES });
    else push({ type: t('Text'), sender: 'Bot', text: random.pick(text.bot) });
  }
  if (outcome === 'ended') push({ type: t('SessionEnded'), sender: 'Bot', text: text.end });
  if (outcome === 'transferred') push({ type: t('EscalateToAgent'), sender: 'Bot', text: text.escalate });
  const conversation = random.chance(0.7);
  const doc: EinsteinBotSession = {
    sessionId: uniqueUuid(random, 0xe01, index),
    botId: random.pick(EINSTEIN_BOTS),
    status: outcome === 'transferred' ? 'Transferred' : outcome === 'active' ? 'Active' : 'Ended',
    createdDate: iso(createdMs),
    lastActiveDate: iso(at),
    ...(conversation ? { externalSessionKey: uniqueUuid(random, 0xe02, index) } : {}),
    sessionEnded: outcome !== 'active',
    messages,
  };
  return { doc, messages: messages.length, conversation };
}

// ---- Genesys Cloud bot flow sessions with reporting turns ----

const FLOWS = ['a3c5e2f1-6b7d-4e8a-9c0b-1d2e3f4a5b6c', 'd7e8f9a0-1b2c-4d3e-8f4a-5b6c7d8e9f01', 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9'];
const CHANNELS: BotChannel[] = [
  { name: 'Call', inputModes: ['Voice', 'DTMF'], outputModes: ['Voice'], userAgent: { name: 'Phone' } },
  { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } },
  { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'Whatsapp' } },
  { name: 'Chat', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } },
];
const LOCALES: Record<Language, string> = { en: 'en-US', fr: 'fr-FR', de: 'de-DE', nl: 'nl-NL' };
const INTENTS = ['BillTooHigh', 'OrderStatus', 'DirectDebitDate', 'SubmitMeterReading', 'PaymentPlan', 'TalkToAgent', 'Goodbye'];
const ENDINGS = [
  { weight: 0.35, botResult: 'ExitRequestedByBot', botResultCategory: 'BotExit', end: { type: 'Exit', reason: 'ExitRequestedByBot' } },
  { weight: 0.2, botResult: 'ExitRequestedByUser', botResultCategory: 'UserExit', end: { type: 'Exit', reason: 'ExitRequestedByUser' } },
  { weight: 0.2, botResult: 'TransferToACD', botResultCategory: 'Transfer', end: { type: 'Exit', reason: 'TransferToACD' } },
  { weight: 0.08, botResult: 'DisconnectSessionExpired', botResultCategory: 'SessionExpired', end: { type: 'Disconnect', reason: 'DisconnectSessionExpired' } },
  { weight: 0.07, botResult: 'ExitRecognitionFailure', botResultCategory: 'RecognitionFailure', end: { type: 'Exit', reason: 'ExitRecognitionFailure' } },
  { weight: 0.1, botResult: null, botResultCategory: null, end: null }, // still running
] as const;

export function* genesysBotFlowDocuments(seed: number, count: number): Generator<GeneratedDocument<BotFlowSessionWithTurns>> {
  const random = createRandom(deriveSeed(seed, 'genesys-bot-flow'));
  for (let i = 0; i < count; i++) yield genesysBotFlowDocument(random, i);
}

function genesysBotFlowDocument(random: Random, index: number): GeneratedDocument<BotFlowSessionWithTurns> {
  const lang = random.pick(LANGUAGES);
  const text = TEXT[lang];
  const id = uniqueUuid(random, 0x601, index);
  const conversationId = uniqueUuid(random, 0x602, index);
  const conversation = { id: conversationId, selfUri: `/api/v2/conversations/${conversationId}` };
  let roll = random.next();
  const ending =
    ENDINGS.find((e) => {
      roll -= e.weight;
      return roll < 0;
    }) ?? ENDINGS[0];
  const total = random.int(10, 30);
  const createdMs = START_MS + index * 80_000 + random.int(0, 60_000);
  let at = createdMs + random.int(100, 900);
  const turns: ReportingTurn[] = [];
  // Each turn: the bot's prompts, then (except a closing turn) the user's answer; `remaining` counts messages.
  let remaining = total - (ending.end ? 1 : 0);
  let action = 1;
  while (remaining > 0) {
    const dateCreated = at;
    at += random.int(3_000, 40_000);
    if (remaining === 1) {
      turns.push({
        sessionId: id,
        conversation,
        botPrompts: [random.pick(text.bot)],
        askAction: { actionId: `ask-slot-${String(action)}`, actionName: 'Ask for details', actionNumber: action, actionType: 'AskForSlotAction' },
        dateCreated: iso(dateCreated),
        dateCompleted: iso(at),
        askActionResult: 'NoInputCollection',
      });
      remaining = 0;
      break;
    }
    const prompts = Math.min(remaining - 1, random.int(1, 2));
    const recognised = random.chance(0.85);
    const turn: ReportingTurn = {
      sessionId: id,
      conversation,
      botPrompts: Array.from({ length: prompts }, (_, p) => (turns.length === 0 && p === 0 ? random.pick(text.greet) : random.pick(text.bot))),
      userInput: random.pick(text.user),
      askAction: { actionId: `ask-intent-${String(action)}`, actionName: 'Ask for Intent', actionNumber: action, actionType: 'AskForNLUIntentAction' },
      ...(recognised ? { intent: { name: random.pick(INTENTS), confidence: Math.round(random.next() * 40 + 60) / 100, slots: [] } } : {}),
      dateCreated: iso(dateCreated),
      dateCompleted: iso(at),
      askActionResult: recognised ? 'SuccessCollection' : 'NoMatchCollection',
    };
    if (random.chance(0.1)) {
      turn.knowledge = {
        knowledgeBaseId: '5e4d3c2b-1a09-4f8e-a7d6-c5b4a3928170',
        search: {
          searchId: uniqueUuid(random, 0x603, index * 64 + turns.length),
          query: turn.userInput ?? '',
          documents: [
            {
              id: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
              question: 'Why is my bill higher than usual?',
              answer: 'Estimated readings can overstate use.',
              confidence: 0.88,
            },
          ],
        },
      };
    }
    turns.push(turn);
    remaining -= prompts + 1;
    action += 1;
    at += random.int(100, 900);
  }
  let completedMs = at;
  if (ending.end) {
    const dateCreated = at;
    completedMs = at + random.int(200, 900);
    turns.push({
      sessionId: id,
      conversation,
      botPrompts: [ending.botResultCategory === 'Transfer' ? text.escalate : text.end],
      dateCreated: iso(dateCreated),
      dateCompleted: iso(completedMs),
      sessionEndDetails: ending.end,
    });
  }
  const doc: BotFlowSessionWithTurns = {
    id,
    flow: { id: random.pick(FLOWS) },
    channel: random.pick(CHANNELS),
    language: LOCALES[lang],
    ...(ending.botResult ? { endLanguage: LOCALES[lang], botResult: ending.botResult, botResultCategory: ending.botResultCategory } : {}),
    dateCreated: iso(createdMs),
    ...(ending.botResult ? { dateCompleted: iso(completedMs) } : {}),
    conversation,
    turns,
  };
  return { doc, messages: total, conversation: true };
}

export function documentsFor(vendor: GeneratedVendor, seed: number, count: number): Generator<GeneratedDocument<object>> {
  return vendor === 'einstein' ? einsteinDocuments(seed, count) : genesysBotFlowDocuments(seed, count);
}

export interface NdjsonFile {
  path: string;
  vendor: GeneratedVendor;
  sessions: number;
  messages: number;
  conversations: number;
  bytes: number;
}

/** Streams `count` generated documents of one vendor to an NDJSON file (constant memory). */
export async function writeNdjson(path: string, vendor: GeneratedVendor, seed: number, count: number): Promise<NdjsonFile> {
  const out = createWriteStream(path);
  const file: NdjsonFile = { path, vendor, sessions: 0, messages: 0, conversations: 0, bytes: 0 };
  let buffered = '';
  const flush = async () => {
    if (!out.write(buffered)) await once(out, 'drain');
    buffered = '';
  };
  for (const { doc, messages, conversation } of documentsFor(vendor, seed, count)) {
    const line = `${JSON.stringify(doc)}\n`;
    buffered += line;
    file.bytes += Buffer.byteLength(line);
    file.sessions += 1;
    file.messages += messages;
    if (conversation) file.conversations += 1;
    if (buffered.length > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return file;
}
