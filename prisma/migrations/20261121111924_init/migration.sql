-- CreateEnum
CREATE TYPE "Vendor" AS ENUM ('GENESYS_CLOUD', 'SALESFORCE_EINSTEIN', 'CHATLAYER');

-- CreateEnum
CREATE TYPE "SessionKind" AS ENUM ('BOT_FLOW', 'EINSTEIN_BOT', 'CHATLAYER', 'JOURNEY');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('ACTIVE', 'ENDED', 'TRANSFERRED');

-- CreateEnum
CREATE TYPE "SessionOutcome" AS ENUM ('COMPLETED', 'ESCALATED', 'USER_EXITED', 'ABANDONED', 'EXPIRED', 'RECOGNITION_FAILURE', 'ERROR', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "MessageSender" AS ENUM ('USER', 'BOT', 'AGENT', 'SYSTEM');

-- CreateTable
CREATE TABLE "Conversation" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "externalId" TEXT NOT NULL,
    "botId" TEXT,
    "channel" TEXT,
    "language" TEXT,
    "status" "SessionStatus" NOT NULL,
    "outcome" "SessionOutcome",
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "lastActiveAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "conversationId" UUID,
    "data" JSONB NOT NULL,
    "sourceUpdatedAt" TIMESTAMPTZ(3),
    "ingestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "sequence" BIGINT NOT NULL,
    "sender" "MessageSender" NOT NULL,
    "type" TEXT NOT NULL,
    "text" TEXT,
    "choices" JSONB,
    "timestamp" TIMESTAMPTZ(3),
    "intent" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_externalId_key" ON "Conversation"("externalId");

-- CreateIndex
CREATE INDEX "Session_createdAt_id_idx" ON "Session"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_lastActiveAt_id_idx" ON "Session"("lastActiveAt", "id");

-- CreateIndex
CREATE INDEX "Session_vendor_createdAt_id_idx" ON "Session"("vendor", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_status_createdAt_id_idx" ON "Session"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_outcome_createdAt_id_idx" ON "Session"("outcome", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_botId_createdAt_id_idx" ON "Session"("botId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_channel_createdAt_id_idx" ON "Session"("channel", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_language_createdAt_id_idx" ON "Session"("language", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_conversationId_createdAt_id_idx" ON "Session"("conversationId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Session_kind_externalId_key" ON "Session"("kind", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sessionId_sequence_key" ON "Message"("sessionId", "sequence");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
