-- Every row now belongs to a tenant. Rows stored before tenants existed go to the `default` tenant
-- (the one the gateway uses while no API key has been created), so an existing database upgrades in place.
-- CreateTable
CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "messageTextIsPii" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

INSERT INTO "Tenant" ("id", "slug") VALUES ('00000000-0000-4000-8000-000000000001', 'default');

-- DropIndex
DROP INDEX "Conversation_externalId_key";

-- DropIndex
DROP INDEX "PendingMessage_kind_sessionExternalId_sequence_key";

-- DropIndex
DROP INDEX "Session_botId_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_channel_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_kind_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_kind_externalId_key";

-- DropIndex
DROP INDEX "Session_language_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_lastActiveAt_id_idx";

-- DropIndex
DROP INDEX "Session_outcome_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_status_createdAt_id_idx";

-- DropIndex
DROP INDEX "Session_vendor_createdAt_id_idx";

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "tenantId" UUID NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
ALTER TABLE "Conversation" ALTER COLUMN "tenantId" DROP DEFAULT;

-- AlterTable
ALTER TABLE "PendingMessage" ADD COLUMN     "tenantId" UUID NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
ALTER TABLE "PendingMessage" ALTER COLUMN "tenantId" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "tenantId" UUID NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
ALTER TABLE "Session" ALTER COLUMN "tenantId" DROP DEFAULT;

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "persistedOnly" BOOLEAN NOT NULL DEFAULT false,
    "label" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_tenantId_externalId_key" ON "Conversation"("tenantId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "PendingMessage_tenantId_kind_sessionExternalId_sequence_key" ON "PendingMessage"("tenantId", "kind", "sessionExternalId", "sequence");

-- CreateIndex
CREATE INDEX "Session_tenantId_createdAt_id_idx" ON "Session"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_lastActiveAt_id_idx" ON "Session"("tenantId", "lastActiveAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_vendor_createdAt_id_idx" ON "Session"("tenantId", "vendor", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_kind_createdAt_id_idx" ON "Session"("tenantId", "kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_status_createdAt_id_idx" ON "Session"("tenantId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_outcome_createdAt_id_idx" ON "Session"("tenantId", "outcome", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_botId_createdAt_id_idx" ON "Session"("tenantId", "botId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_channel_createdAt_id_idx" ON "Session"("tenantId", "channel", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Session_tenantId_language_createdAt_id_idx" ON "Session"("tenantId", "language", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tenantId_kind_externalId_key" ON "Session"("tenantId", "kind", "externalId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
