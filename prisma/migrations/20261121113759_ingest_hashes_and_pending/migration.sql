-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "contentHash" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "contentHash" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "PendingMessage" (
    "id" UUID NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "sessionExternalId" TEXT NOT NULL,
    "sequence" BIGINT NOT NULL,
    "message" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingMessage_kind_sessionExternalId_sequence_key" ON "PendingMessage"("kind", "sessionExternalId", "sequence");
