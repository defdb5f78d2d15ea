-- Messages are identified by a key of their own (the vendor's message id, else their content) instead
-- of their sequence, which two different messages can share (issue 9). Rows stored before keep the
-- identity they had: their sequence. Pending messages were keyed the same way and are re-keyed alike.

-- DropIndex
DROP INDEX "Message_sessionId_sequence_key";

-- DropIndex
DROP INDEX "PendingMessage_tenantId_kind_sessionExternalId_sequence_key";

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "key" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "ordinal" INTEGER NOT NULL DEFAULT 0;
UPDATE "Message" SET "key" = 'seq:' || "sequence"::text;
ALTER TABLE "Message" ALTER COLUMN "key" DROP DEFAULT;

-- AlterTable
ALTER TABLE "PendingMessage" ADD COLUMN     "key" TEXT NOT NULL DEFAULT '';
UPDATE "PendingMessage" SET "key" = 'seq:' || "sequence"::text;
ALTER TABLE "PendingMessage" ALTER COLUMN "key" DROP DEFAULT;
ALTER TABLE "PendingMessage" DROP COLUMN "sequence";

-- CreateIndex
CREATE INDEX "Message_sessionId_sequence_ordinal_key_idx" ON "Message"("sessionId", "sequence", "ordinal", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sessionId_key_key" ON "Message"("sessionId", "key");

-- CreateIndex
CREATE INDEX "PendingMessage_receivedAt_idx" ON "PendingMessage"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingMessage_tenantId_kind_sessionExternalId_key_key" ON "PendingMessage"("tenantId", "kind", "sessionExternalId", "key");
