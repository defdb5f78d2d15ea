-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" BIGINT NOT NULL,
    "tenantId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "sessionId" UUID NOT NULL,
    "messageId" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEventCounter" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last" BIGINT NOT NULL DEFAULT 0,
    "prunedThrough" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "LiveEventCounter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LiveEvent_at_idx" ON "LiveEvent"("at");

-- CreateIndex
CREATE INDEX "LiveEvent_tenantId_id_idx" ON "LiveEvent"("tenantId", "id");

-- The outbox's one counter row (src/live/outbox.ts): writers take their event ids from it.
INSERT INTO "LiveEventCounter" ("id") VALUES (1);
