-- Event ids per tenant (src/live/outbox.ts): clients see and resume from `seq`, a tenant's own
-- gap-free count; the global `id` stays the live hubs' internal order, never shown.
--
-- Upgrading a database that has given out event ids: a client may still hold one (an SSE
-- Last-Event-ID, a `since`). Each tenant's new numbers start after 10^12, above any id given out
-- before, so such an id is answered EVENTS_EXPIRED (query the state, subscribe again) rather than
-- mistaken for a new one; the events still kept are renumbered in their commit order from there.
-- A fresh database starts every tenant at 1.

-- DropIndex
DROP INDEX "LiveEvent_tenantId_id_idx";

-- AlterTable
ALTER TABLE "LiveEvent" ADD COLUMN     "seq" BIGINT;
UPDATE "LiveEvent" AS e SET "seq" = 1000000000000 + n."seq"
FROM (SELECT "id", row_number() OVER (PARTITION BY "tenantId" ORDER BY "id") AS "seq" FROM "LiveEvent") AS n
WHERE n."id" = e."id";
ALTER TABLE "LiveEvent" ALTER COLUMN "seq" SET NOT NULL;

-- AlterTable
ALTER TABLE "LiveEventCounter" ADD COLUMN     "instanceId" UUID NOT NULL DEFAULT gen_random_uuid();

-- CreateTable
CREATE TABLE "TenantEventCounter" (
    "tenantId" UUID NOT NULL,
    "last" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "TenantEventCounter_pkey" PRIMARY KEY ("tenantId")
);
INSERT INTO "TenantEventCounter" ("tenantId", "last")
SELECT t."id", 1000000000000 + coalesce((SELECT count(*) FROM "LiveEvent" e WHERE e."tenantId" = t."id"), 0)
FROM "Tenant" t
WHERE (SELECT "last" FROM "LiveEventCounter" WHERE "id" = 1) > 0;

-- CreateIndex
CREATE UNIQUE INDEX "LiveEvent_tenantId_seq_key" ON "LiveEvent"("tenantId", "seq");
