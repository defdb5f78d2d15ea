// Writes normalised sessions: one transaction per session, keyed by (kind, external id) and, for
// messages, by (session, sequence), so writing the same thing twice changes nothing.
import { randomUUID } from 'node:crypto';
import type { Prisma as PrismaClient } from '../db/client.js';
import { Prisma, type Prisma as P } from '../generated/prisma/client.js';
import type { NormalizedMessage, NormalizedSession } from '../vendors/normalized.js';

export type StoreResult = 'created' | 'updated' | 'unchanged';

type Tx = P.TransactionClient;

async function conversationIdFor(tx: Tx, externalId: string | null): Promise<string | null> {
  if (externalId === null) return null;
  const row = await tx.conversation.upsert({
    where: { externalId },
    create: { id: randomUUID(), externalId },
    update: {},
    select: { id: true },
  });
  return row.id;
}

function sessionColumns(session: NormalizedSession, conversationId: string | null) {
  return {
    vendor: session.vendor,
    botId: session.botId,
    channel: session.channel,
    language: session.language,
    status: session.status,
    outcome: session.outcome,
    createdAt: session.createdAt,
    lastActiveAt: session.lastActiveAt,
    endedAt: session.endedAt,
    conversationId,
    data: session.data,
    sourceUpdatedAt: session.sourceUpdatedAt,
  };
}

function messageColumns(message: NormalizedMessage) {
  return {
    sender: message.sender,
    type: message.type,
    text: message.text,
    choices: message.choices === null ? Prisma.DbNull : (message.choices as unknown as Prisma.InputJsonArray),
    timestamp: message.timestamp,
    intent: message.intent,
    data: message.data,
  };
}

/** Same JSON and dates as already stored? Compared as JSON so key order and Date objects do not matter. */
function sameContent(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, Object.keys(flatKeys(a)).sort()) === JSON.stringify(b, Object.keys(flatKeys(b)).sort());
}

function flatKeys(value: unknown, into: Record<string, true> = {}): Record<string, true> {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into[key] = true;
      flatKeys(inner, into);
    }
  }
  return into;
}

export async function storeSession(prisma: PrismaClient, session: NormalizedSession): Promise<StoreResult> {
  return prisma.$transaction(async (tx) => {
    const conversationId = await conversationIdFor(tx, session.conversationExternalId);
    const columns = sessionColumns(session, conversationId);
    const existing = await tx.session.findUnique({ where: { kind_externalId: { kind: session.kind, externalId: session.externalId } } });
    let sessionId: string;
    let result: StoreResult;
    if (!existing) {
      sessionId = randomUUID();
      await tx.session.create({ data: { id: sessionId, kind: session.kind, externalId: session.externalId, ...columns } });
      result = 'created';
    } else {
      sessionId = existing.id;
      const { id: _id, kind: _kind, externalId: _externalId, ingestedAt: _i, updatedAt: _u, ...stored } = existing;
      if (sameContent(stored, columns)) {
        result = 'unchanged';
      } else {
        await tx.session.update({ where: { id: sessionId }, data: columns });
        result = 'updated';
      }
    }
    for (const message of session.messages) {
      const key = { sessionId_sequence: { sessionId, sequence: BigInt(message.sequence) } };
      const stored = await tx.message.findUnique({ where: key });
      const data = messageColumns(message);
      if (!stored) {
        await tx.message.create({ data: { id: randomUUID(), sessionId, sequence: BigInt(message.sequence), ...data } });
      } else {
        const { id: _id, sessionId: _s, sequence: _q, ...storedData } = stored;
        if (sameContent(storedData, { ...data, choices: message.choices })) continue;
        await tx.message.update({ where: key, data });
      }
      if (result === 'unchanged') result = 'updated';
    }
    return result;
  });
}
